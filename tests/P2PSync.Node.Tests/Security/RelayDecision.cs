namespace P2PSync.Node.Tests.Security;

/// <summary>What a <see cref="FrameRelay"/> passes on for one frame.</summary>
internal sealed record RelayDecision(IReadOnlyList<byte[]> Forward, bool CloseAfter = false)
{
    public static RelayDecision Pass(byte[] frame) => new([frame]);
}
