using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Everything observable about a log, comparable by value.</summary>
internal sealed record LogSnapshot(string Members, ulong Epoch, ulong Next, string Head, string Invites)
{
    public static LogSnapshot Of(MembershipLog log) => new(
        string.Join(",", log.Members.OrderBy(m => m.Key.ToString(), StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value}")),
        log.CurrentEpoch,
        log.NextSequence,
        Convert.ToHexString(log.HeadHash),
        string.Join(",", log.Invites.OrderBy(i => i.Key.ToString(), StringComparer.Ordinal).Select(i => $"{i.Key}={i.Value.Role}/{i.Value.Status}")));
}
