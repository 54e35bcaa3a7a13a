using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Spaces;

/// <summary>
/// Decides whether a well-formed record from a peer may be stored and applied to a document:
/// it must be for that document and its space, and its author must be able to write to the space
/// now (per our membership log), and its signature must verify.
/// </summary>
internal static class RecordGate
{
    /// <summary>
    /// Null when <paramref name="record"/> is acceptable for <paramref name="docId"/> in
    /// <paramref name="docSpace"/> given <paramref name="log"/> (that space's log, or null when we have none);
    /// otherwise the first reason to refuse it. The cheap comparisons run first and the signature
    /// last, so a flood of misdirected or unauthorised records costs no signature checks.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="log"/> belongs to another space than <paramref name="docSpace"/> (a caller bug).</exception>
    public static RecordRefusal? Check(SignedRecord record, string docId, SpaceId docSpace, MembershipLog? log)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(docId);
        if (log is not null && log.Space != docSpace)
        {
            throw new ArgumentException($"The log is for space {log.Space}, not the document's space {docSpace}.", nameof(log));
        }

        if (!string.Equals(record.DocId, docId, StringComparison.Ordinal))
        {
            return RecordRefusal.WrongDocument;
        }

        if (record.Space != docSpace)
        {
            return RecordRefusal.WrongSpace;
        }

        if (log is null)
        {
            return RecordRefusal.UnknownSpace;
        }

        switch (log.RoleOf(record.Author))
        {
            case null:
                return RecordRefusal.NotAMember;
            case SpaceRole.Viewer:
                return RecordRefusal.ReadOnly;
        }

        return record.HasValidSignature() ? null : RecordRefusal.BadSignature;
    }

    /// <summary>A log line for a refusal: which record, from whom, and why.</summary>
    public static string Describe(SignedRecord record, RecordRefusal refusal, DeviceId from)
    {
        ArgumentNullException.ThrowIfNull(record);
        var why = refusal switch
        {
            RecordRefusal.BadSignature => "its signature does not verify",
            RecordRefusal.WrongDocument => "it names another document",
            RecordRefusal.WrongSpace => "it names another space than the document's",
            RecordRefusal.UnknownSpace => "we do not know the document's space",
            RecordRefusal.NotAMember => "its author is not a member of the space",
            RecordRefusal.ReadOnly => "its author is a viewer of the space",
            _ => refusal.ToString(),
        };
        return $"Refused {record} from {from.ToShortString()}: {why}.";
    }
}
