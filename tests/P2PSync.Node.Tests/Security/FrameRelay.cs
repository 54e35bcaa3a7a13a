using System.Buffers.Binary;
using System.Threading.Channels;

namespace P2PSync.Node.Tests.Security;

/// <summary>
/// A man in the middle for one direction of a connection: reads whole length-prefixed frames
/// from the sender and lets a test decide, per frame, what the receiver gets instead
/// (the same frame, a changed one, a copy, nothing, half of it, end of stream).
/// </summary>
internal sealed class FrameRelay
{
    private readonly ChannelStream _fromSender;
    private readonly ChannelWriter<byte[]> _toReceiver;
    private readonly Func<int, byte[], RelayDecision> _decide;

    private FrameRelay(ChannelStream fromSender, ChannelWriter<byte[]> toReceiver, Func<int, byte[], RelayDecision> decide)
    {
        _fromSender = fromSender;
        _toReceiver = toReceiver;
        _decide = decide;
    }

    /// <summary>Frames seen so far (header included), in order.</summary>
    public List<byte[]> Seen { get; } = [];

    /// <summary>
    /// A connection where the first stream's writes reach the second only through
    /// <paramref name="decide"/>; the other direction is a plain pipe.
    /// </summary>
    public static (ChannelStream Sender, ChannelStream Receiver, FrameRelay Relay, Task Pump) Create(Func<int, byte[], RelayDecision> decide)
    {
        var senderOut = Channel.CreateUnbounded<byte[]>();
        var receiverIn = Channel.CreateUnbounded<byte[]>();
        var back = Channel.CreateUnbounded<byte[]>();
        var sender = new ChannelStream(back.Reader, senderOut.Writer);
        var receiver = new ChannelStream(receiverIn.Reader, back.Writer);
        var relay = new FrameRelay(new ChannelStream(senderOut.Reader, null), receiverIn.Writer, decide);
        return (sender, receiver, relay, Task.Run(relay.PumpAsync));
    }

    private async Task PumpAsync()
    {
        var header = new byte[2];
        for (var index = 0; ; index++)
        {
            if (await _fromSender.ReadAtLeastAsync(header, 2, throwOnEndOfStream: false) < 2)
            {
                break;
            }

            var frame = new byte[2 + BinaryPrimitives.ReadUInt16BigEndian(header)];
            header.CopyTo(frame, 0);
            await _fromSender.ReadExactlyAsync(frame.AsMemory(2));
            lock (Seen)
            {
                Seen.Add(frame);
            }

            var decision = _decide(index, frame);
            foreach (var bytes in decision.Forward)
            {
                _toReceiver.TryWrite(bytes);
            }

            if (decision.CloseAfter)
            {
                break;
            }
        }

        _toReceiver.TryComplete();
    }
}
