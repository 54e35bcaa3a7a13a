using P2PSync.Node.Security.Invites;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Api;

/// <summary>Roles as users and the API write them: owner, editor, viewer (any case).</summary>
internal static class SpaceRoles
{
    public static string Name(SpaceRole role) => role switch
    {
        SpaceRole.Owner => "owner",
        SpaceRole.Editor => "editor",
        SpaceRole.Viewer => "viewer",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "not a role"),
    };

    /// <exception cref="SpaceRequestException">Missing or not a role (BadInput).</exception>
    public static SpaceRole Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "owner" => SpaceRole.Owner,
        "editor" => SpaceRole.Editor,
        "viewer" => SpaceRole.Viewer,
        null or "" => throw new SpaceRequestException(SpaceRequestProblem.BadInput, "role is required: owner, editor or viewer"),
        _ => throw new SpaceRequestException(SpaceRequestProblem.BadInput, $"\"{text}\" is not a role: owner, editor or viewer"),
    };

    /// <summary>The role an invite grants: editor or viewer (an owner signs membership, which a stranger must not be handed by a code).</summary>
    /// <exception cref="SpaceRequestException">Missing, owner, or not a role (BadInput).</exception>
    public static InviteRole ParseInvite(string? text) => Parse(text) switch
    {
        SpaceRole.Editor => InviteRole.Editor,
        SpaceRole.Viewer => InviteRole.Viewer,
        _ => throw new SpaceRequestException(SpaceRequestProblem.BadInput, "an invite grants editor or viewer; to make someone an owner, invite them and then run `p2psync space role`"),
    };
}
