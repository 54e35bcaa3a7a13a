using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Everything observable about a log, comparable by value.</summary>
internal sealed record LogSnapshot(string Members, ulong Epoch, ulong Next, string Head)
{
    public static LogSnapshot Of(MembershipLog log) => new(
        string.Join(",", log.Members.OrderBy(m => m.Key.ToString(), StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}")),
        log.CurrentEpoch,
        log.NextSequence,
        Convert.ToHexString(log.HeadHash));
}
