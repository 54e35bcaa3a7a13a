namespace P2PSync.Node.Api;

/// <summary>
/// Why a space request was refused. The API answers each with its own status code and the CLI
/// with its own exit code, so both surfaces refuse the same things the same way.
/// </summary>
internal enum SpaceRequestProblem
{
    /// <summary>Malformed input: a bad name, role, device id, duration or address (400, exit 2).</summary>
    BadInput,

    /// <summary>This device may not do it: not an owner, or a viewer writing (403).</summary>
    Forbidden,

    /// <summary>No such space, device or member (404).</summary>
    NotFound,

    /// <summary>The request contradicts the space as it is: already a member, the last owner (409).</summary>
    Conflict,

    /// <summary>Redeeming an invite failed at the inviter's end or on the way there (502).</summary>
    JoinFailed,

    /// <summary>Something only a running node can do (an invite without --address needs one to answer it).</summary>
    NeedsRunningNode,
}
