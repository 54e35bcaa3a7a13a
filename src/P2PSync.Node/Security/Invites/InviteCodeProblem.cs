namespace P2PSync.Node.Security.Invites;

/// <summary>Why an invite code was refused, so callers (the CLI, the join flow) can react without parsing messages.</summary>
internal enum InviteCodeProblem
{
    /// <summary>Nothing but separators was given.</summary>
    Empty,

    /// <summary>A character outside the code alphabet.</summary>
    InvalidCharacter,

    /// <summary>Fewer characters than the code's own layout needs (cut off while copying).</summary>
    Incomplete,

    /// <summary>More characters than the code's own layout needs.</summary>
    TooLong,

    /// <summary>The checksum does not match: a character was changed, mistyped or swapped.</summary>
    Mistyped,

    /// <summary>The code was written by a format version this build does not read.</summary>
    UnknownVersion,

    /// <summary>The checksum matches but a field is impossible (e.g. role owner, a bad address): not made by a genuine encoder.</summary>
    Malformed,

    /// <summary>Text that should be a <c>p2psync://join/</c> link is not one.</summary>
    NotAnInviteUrl,
}
