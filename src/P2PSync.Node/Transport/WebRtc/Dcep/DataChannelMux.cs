using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Transport.WebRtc.Dcep;

/// <summary>
/// Data channels over one SCTP <see cref="Sctp.Association"/> (RFC 8831, RFC 8832), sans-IO like the
/// association it owns: the caller feeds packets and timeouts to <see cref="Association"/>, takes its
/// output, and calls <see cref="Open"/>, <see cref="SendText"/>, <see cref="SendBinary"/> and
/// <see cref="Close"/> with the same clock. Everything the peer does arrives as events, raised from
/// inside the association's callbacks (never re-entrantly), so a handler may send or close at once.
/// Not thread-safe: one caller at a time, exactly like the association.
/// Bad input from the peer (a broken OPEN, an unknown PPID, text that is not UTF-8, a message on a
/// stream with no channel) is counted and dropped; it never throws out of the association.
/// </summary>
internal sealed class DataChannelMux : ISctpUser
{
    private readonly Dictionary<ushort, DataChannelMuxChannel> _channels = [];
    private readonly StreamIdAllocator _ids;

    // The clock value of the call in progress: replies sent from inside the association's callbacks
    // (ACKs, resets) need it, and the callbacks themselves carry none.
    private long _nowMs;

    /// <param name="localIsDtlsClient">Our DTLS role: the client opens even stream ids, the server odd ones.</param>
    /// <param name="options">The association's options (ports and the peer's max-message-size from SDP).</param>
    /// <param name="random">Seeds the association's tags and TSNs (seeded in tests).</param>
    public DataChannelMux(bool localIsDtlsClient, SctpOptions options, Random random)
    {
        _ids = new StreamIdAllocator(localIsDtlsClient, Math.Min((int)options.Streams, StreamIdAllocator.MaxStreamCount));
        Association = new Association(options, this, random);
    }

    /// <summary>The association underneath: feed it packets and timeouts, drain its output.</summary>
    public Association Association { get; }

    /// <summary>A channel the peer opened with DCEP OPEN; our ACK is already queued.</summary>
    public event Action<DataChannelMuxChannel>? ChannelOpenedByPeer;

    /// <summary>The peer acknowledged one of our OPENs.</summary>
    public event Action<DataChannelMuxChannel>? ChannelAcknowledged;

    /// <summary>A user message arrived on a channel (empty messages already turned back into empty data).</summary>
    public event Action<DataChannelMuxChannel, DataChannelMessage>? MessageReceived;

    /// <summary>The peer began closing a channel (its half of the stream is reset; ours follows by itself).</summary>
    public event Action<DataChannelMuxChannel>? ChannelClosing;

    /// <summary>Both halves are reset, or the association ended: the channel is gone and its id free.</summary>
    public event Action<DataChannelMuxChannel>? ChannelClosed;

    public event Action? AssociationUp;

    /// <summary>Raised once, after every channel has been reported closed.</summary>
    public event Action<TransportClosedReason, string>? AssociationDown;

    public bool IsUp { get; private set; }

    public bool IsDown { get; private set; }

    public IReadOnlyCollection<DataChannelMuxChannel> Channels => _channels.Values;

    /// <summary>Peer OPENs refused: malformed, on a stream in use or still closing, or out of range.</summary>
    public long OpensRefused { get; private set; }

    /// <summary>Peer messages dropped: bad DCEP, bad PPID or payload, or no channel on the stream.</summary>
    public long MessagesDropped { get; private set; }

    public long MessagesReceived { get; private set; }

    /// <summary>ACKs we could not queue because the send buffer was full when the peer's OPEN came.</summary>
    public long AcksNotSent { get; private set; }

    public long MessagesSent { get; private set; }

    public long BytesReceived { get; private set; }

    public long BytesSent { get; private set; }

    /// <summary>Feeds one SCTP packet (a decrypted DTLS record) to the association.</summary>
    public void HandleInput(ReadOnlySpan<byte> packet, long nowMs)
    {
        _nowMs = nowMs;
        Association.HandleInput(packet, nowMs);
    }

    /// <summary>Runs the association's timers that are due (see <see cref="Sctp.Association.NextTimeoutMs"/>).</summary>
    public void HandleTimeout(long nowMs)
    {
        _nowMs = nowMs;
        Association.HandleTimeout(nowMs);
    }

    /// <summary>
    /// Creates a channel. Without <paramref name="negotiatedId"/> it takes the lowest free id of our
    /// parity and queues a DCEP OPEN (sent as soon as the association is up); with it, both sides are
    /// expected to create the same id out of band and no DCEP is sent.
    /// </summary>
    /// <exception cref="InvalidOperationException">No id is free, the negotiated id is taken, or the association has ended.</exception>
    /// <exception cref="ArgumentException">The label or protocol cannot be encoded (over 65535 UTF-8 bytes, lone surrogates).</exception>
    public DataChannelMuxChannel Open(DataChannelOpen description, ushort? negotiatedId, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(description);
        _nowMs = nowMs;
        if (IsDown)
        {
            throw new InvalidOperationException("the SCTP association has ended; no new data channels");
        }

        // Encode first: a label we cannot write must not leave an id taken.
        var open = negotiatedId is null ? DcepCodec.ToArray(description) : null;
        ushort id;
        if (negotiatedId is { } wanted)
        {
            if (!_ids.TryClaim(wanted))
            {
                throw new InvalidOperationException($"stream id {wanted} is in use, still closing, or out of range");
            }

            id = wanted;
        }
        else if (!_ids.TryAllocate(out id))
        {
            throw new InvalidOperationException("every stream id of our parity is in use");
        }

        var channel = new DataChannelMuxChannel(id, description, negotiatedId is not null, openedByPeer: false);
        _channels[id] = channel;
        if (open is not null)
        {
            try
            {
                Association.Send(id, (uint)PayloadProtocolId.Dcep, open, ordered: true, SctpReliability.Reliable, nowMs);
            }
            catch (SctpSendRefusedException)
            {
                _channels.Remove(id);
                _ids.Release(id);
                throw;
            }
        }

        return channel;
    }

    /// <summary>Queues a text message (an empty one travels as PPID 56 with one byte).</summary>
    /// <exception cref="InvalidOperationException">No open channel on the stream.</exception>
    /// <exception cref="SctpSendRefusedException">SCTP refused it: over the peer's max-message-size, send buffer full, association not open.</exception>
    public void SendText(ushort streamId, string text, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (ppid, payload) = DataChannelPayload.ForText(text);
        Send(streamId, ppid, payload, text.Length == 0 ? 0 : payload.Length, nowMs);
    }

    /// <summary>Queues a binary message (an empty one travels as PPID 57 with one byte).</summary>
    /// <exception cref="InvalidOperationException">No open channel on the stream.</exception>
    /// <exception cref="SctpSendRefusedException">SCTP refused it.</exception>
    public void SendBinary(ushort streamId, ReadOnlyMemory<byte> data, long nowMs)
    {
        var (ppid, payload) = DataChannelPayload.ForBinary(data);
        Send(streamId, ppid, payload, data.Length, nowMs);
    }

    /// <summary>
    /// Starts closing a channel (RFC 8831 §6.7): our outgoing stream is reset once what is queued on it
    /// has been sent; the peer then resets its half and <see cref="ChannelClosed"/> follows. Idempotent.
    /// </summary>
    public void Close(ushort streamId, long nowMs)
    {
        _nowMs = nowMs;
        if (!_channels.TryGetValue(streamId, out var channel) || channel.State != DataChannelMuxChannelState.Open)
        {
            return;
        }

        channel.State = DataChannelMuxChannelState.Closing;
        _ids.BeginReset(streamId);
        Association.ResetStream(streamId, nowMs);
    }

    /// <summary>Looks up the channel on a stream (open or closing).</summary>
    public bool TryGetChannel(ushort streamId, out DataChannelMuxChannel channel) =>
        _channels.TryGetValue(streamId, out channel!);

    void ISctpUser.OnMessage(ushort streamId, uint ppid, ReadOnlyMemory<byte> payload)
    {
        if (ppid == (uint)PayloadProtocolId.Dcep)
        {
            OnDcep(streamId, payload);
            return;
        }

        if (!_channels.TryGetValue(streamId, out var channel))
        {
            MessagesDropped++;
            return;
        }

        DataChannelMessage message;
        try
        {
            message = DataChannelPayload.Read(ppid, payload);
        }
        catch (WebRtcFormatException)
        {
            MessagesDropped++;
            return;
        }

        MessagesReceived++;
        BytesReceived += message.Data.Length;
        MessageReceived?.Invoke(channel, message);
    }

    void ISctpUser.OnStreamReset(ushort streamId, bool incoming)
    {
        if (!_channels.TryGetValue(streamId, out var channel))
        {
            // A stream we reset to refuse a bad OPEN, or a peer resetting a stream it never opened.
            return;
        }

        if (incoming)
        {
            channel.IncomingReset = true;
        }
        else
        {
            channel.OutgoingReset = true;
        }

        if (channel.IncomingReset && channel.OutgoingReset)
        {
            Finish(channel);
            _ids.Release(streamId);
            return;
        }

        if (channel.State == DataChannelMuxChannelState.Open)
        {
            // The peer closed first; the association resets our half by itself (notes §0.6).
            channel.State = DataChannelMuxChannelState.Closing;
            _ids.BeginReset(streamId);
            ChannelClosing?.Invoke(channel);
        }
    }

    void ISctpUser.OnAssociationUp()
    {
        IsUp = true;
        AssociationUp?.Invoke();
    }

    void ISctpUser.OnAssociationDown(TransportClosedReason reason, string detail)
    {
        IsDown = true;
        foreach (var channel in _channels.Values.ToArray())
        {
            Finish(channel);
        }

        AssociationDown?.Invoke(reason, detail);
    }

    private void Send(ushort streamId, PayloadProtocolId ppid, ReadOnlyMemory<byte> payload, int userBytes, long nowMs)
    {
        _nowMs = nowMs;
        if (!_channels.TryGetValue(streamId, out var channel) || channel.State != DataChannelMuxChannelState.Open)
        {
            throw new InvalidOperationException($"no open data channel on stream {streamId}");
        }

        // RFC 8832 §6: until the ACK, the peer may not have the channel yet, so nothing may overtake the OPEN.
        var ordered = channel.Ordered || !channel.Acknowledged;
        Association.Send(streamId, (uint)ppid, payload, ordered, channel.Acknowledged ? channel.Reliability : SctpReliability.Reliable, nowMs);
        MessagesSent++;
        BytesSent += userBytes;
    }

    private void OnDcep(ushort streamId, ReadOnlyMemory<byte> payload)
    {
        DcepMessage message;
        try
        {
            message = DcepCodec.Read(payload.Span);
        }
        catch (WebRtcFormatException)
        {
            MessagesDropped++;
            if (!_channels.ContainsKey(streamId) && payload.Length > 0 && payload.Span[0] == (byte)DcepMessageType.Open)
            {
                // A broken OPEN creates nothing; resetting the stream tells the peer its channel failed (notes §4.2).
                OpensRefused++;
                Association.ResetStream(streamId, _nowMs);
            }

            return;
        }

        switch (message)
        {
            case DataChannelOpen open:
                OnOpen(streamId, open);
                break;
            case DataChannelAck when _channels.TryGetValue(streamId, out var channel) && !channel.Acknowledged:
                channel.Acknowledged = true;
                ChannelAcknowledged?.Invoke(channel);
                break;
            default:
                MessagesDropped++; // an ACK nobody asked for
                break;
        }
    }

    private void OnOpen(ushort streamId, DataChannelOpen open)
    {
        switch (_ids.ClaimForIncomingOpen(streamId))
        {
            case IncomingOpenVerdict.Accepted:
                var channel = new DataChannelMuxChannel(streamId, open, negotiated: false, openedByPeer: true);
                _channels[streamId] = channel;
                try
                {
                    Association.Send(streamId, (uint)PayloadProtocolId.Dcep, DcepCodec.ToArray(DataChannelAck.Instance), ordered: true, SctpReliability.Reliable, _nowMs);
                }
                catch (SctpSendRefusedException)
                {
                    // Our send buffer is full (or we are shutting down). The channel exists all the
                    // same: the peer may already be sending on it, and browsers do not wait for the ACK.
                    AcksNotSent++;
                }

                ChannelOpenedByPeer?.Invoke(channel);
                break;
            case IncomingOpenVerdict.InUse:
                // Two channels on one stream cannot both work: close the one that is there (RFC 8832 §6).
                OpensRefused++;
                Close(streamId, _nowMs);
                break;
            default:
                // Still closing (the peer reused the id too early) or out of range: nothing to create.
                OpensRefused++;
                break;
        }
    }

    private void Finish(DataChannelMuxChannel channel)
    {
        _channels.Remove(channel.StreamId);
        channel.State = DataChannelMuxChannelState.Closed;
        ChannelClosed?.Invoke(channel);
    }
}
