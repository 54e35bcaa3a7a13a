using System.Buffers.Binary;
using P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

namespace P2PSync.Node.Transport.WebRtc.Sctp;

/// <summary>
/// The receive half seen from the association (notes §3.4, §3.6): DATA into the
/// <see cref="DataReceiver"/>, when to SACK (every second packet, at once on gaps, duplicates, the
/// I bit or a FORWARD TSN, else within the delayed-ack time), and HEARTBEAT.
/// </summary>
internal sealed partial class Association
{
    private readonly List<ReceivedMessage> _delivered = [];
    private DataReceiver? _receiver;
    private bool _sackDue;
    private long? _sackAt;
    private int _dataPacketsSinceSack;
    private long? _heartbeatAt;
    private ulong _heartbeatNonce;
    private bool _heartbeatOutstanding;

    /// <summary>Incoming messages dropped because they grew larger than <see cref="SctpOptions.LocalMaxMessageSize"/>.</summary>
    public long OversizedMessagesDropped => _receiver?.OversizedMessages ?? 0;

    /// <summary>DATA chunks dropped because the receive window was full.</summary>
    public long DataDroppedNoRoom { get; private set; }

    /// <summary>Returns true when this chunk alone asks for an immediate SACK.</summary>
    private bool OnData(DataChunk data)
    {
        if (_receiver is null || State is SctpAssociationState.CookieWait or SctpAssociationState.Closed)
        {
            PacketsDropped++;
            return false;
        }

        var result = _receiver.Receive(data, _delivered);
        if (result == DataReceiveResult.DroppedNoRoom)
        {
            DataDroppedNoRoom++;
        }
        else if (result == DataReceiveResult.Oversized)
        {
            // The peer broke the SDP contract on this stream. Resetting it closes only that data
            // channel (the others go on), where an ABORT, as dcsctp does on exhaustion, would end
            // them all; the rest of the message is acknowledged and thrown away as it arrives.
            RequestOutgoingReset(data.StreamId);
        }

        DeliverReceived();
        return data.IsImmediate || result != DataReceiveResult.Accepted || State is SctpAssociationState.ShutdownSent;
    }

    private void DeliverReceived()
    {
        foreach (var message in _delivered)
        {
            var copy = message;
            _events.Add(() => _user.OnMessage(copy.StreamId, copy.Ppid, copy.Payload));
        }

        _delivered.Clear();
        TryPerformDeferredReset();
    }

    private void ScheduleSack(bool immediate, long nowMs)
    {
        _dataPacketsSinceSack++;
        if (immediate || _dataPacketsSinceSack >= 2 || _receiver!.HasGaps || _receiver.HasDuplicates)
        {
            _sackDue = true;
            return;
        }

        _sackAt ??= nowMs + Math.Min(_options.DelayedAckMs, _rto.RtoMs / 2);
    }

    private void OnForwardTsn(ForwardTsnChunk forward)
    {
        if (_receiver is null)
        {
            return;
        }

        _receiver.Forward(forward, _delivered);
        DeliverReceived();
        _sackDue = true;
    }

    private void OnHeartbeatTimer(long nowMs)
    {
        _heartbeatAt = null;
        if (_peerTag == 0 || State != SctpAssociationState.Established)
        {
            return;
        }

        if (_outstanding.Count > 0)
        {
            // Data in flight already proves the path (T3 watches it); heartbeats are for idle associations.
            _heartbeatOutstanding = false;
            _heartbeatAt = nowMs + _options.HeartbeatIntervalMs + _rto.RtoMs;
            return;
        }

        if (_heartbeatOutstanding && ++_errorCount > _options.MaxRetransmissions)
        {
            Fail("heartbeats not acknowledged");
            return;
        }

        // Our clock and a nonce; only we read it back, so its layout is ours.
        var info = new byte[16];
        _heartbeatNonce = (ulong)_random.NextInt64();
        BinaryPrimitives.WriteInt64BigEndian(info, nowMs);
        BinaryPrimitives.WriteUInt64BigEndian(info.AsSpan(8), _heartbeatNonce);
        _control.Add(new HeartbeatChunk(false, info));
        _heartbeatOutstanding = true;
        _heartbeatAt = nowMs + _rto.RtoMs;
    }

    private void OnHeartbeatAck(HeartbeatChunk ack, long nowMs)
    {
        if (!_heartbeatOutstanding || ack.Info.Length != 16 || BinaryPrimitives.ReadUInt64BigEndian(ack.Info.AsSpan(8)) != _heartbeatNonce)
        {
            return;
        }

        _heartbeatOutstanding = false;
        _errorCount = 0;
        _rto.AddSample(nowMs - BinaryPrimitives.ReadInt64BigEndian(ack.Info));
        _heartbeatAt = nowMs + _options.HeartbeatIntervalMs + _rto.RtoMs;
    }
}
