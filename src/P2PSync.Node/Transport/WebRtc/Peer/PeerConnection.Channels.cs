using P2PSync.Node.Transport.WebRtc.Dcep;
using P2PSync.Node.Transport.WebRtc.Sctp;

namespace P2PSync.Node.Transport.WebRtc.Peer;

/// <summary>Data channels: what the DCEP mux reports, and sends and closes from the application.</summary>
internal sealed partial class PeerConnection
{
    private static DataChannelOpen Describe(DataChannel channel)
    {
        var options = channel.Options;
        var reliability = options.MaxRetransmits is not null ? DataChannelReliability.MaxRetransmits
            : options.MaxPacketLifeTimeMs is not null ? DataChannelReliability.MaxLifetime
            : DataChannelReliability.Reliable;
        var parameter = (uint)(options.MaxRetransmits ?? options.MaxPacketLifeTimeMs ?? 0);
        return new DataChannelOpen(DataChannelTypes.From(options.Ordered, reliability), options.Priority, parameter, channel.Label, options.Protocol);
    }

    private void OpenOnMux(DataChannel channel)
    {
        DataChannelMuxChannel opened;
        try
        {
            opened = _mux!.Open(Describe(channel), channel.Options.NegotiatedId, NowMs);
        }
        catch (InvalidOperationException e)
        {
            channel.MarkClosed(e.Message);
            throw new PeerConnectionException($"cannot open {channel}: {e.Message}", WebRtcLayer.Dcep, e);
        }

        channel.AssignId(opened.StreamId);
        _channels[opened.StreamId] = channel;
        if (_mux.IsUp)
        {
            channel.MarkOpen();
        }
    }

    private void WireMuxEvents(DataChannelMux mux)
    {
        mux.AssociationUp += () =>
        {
            _connectTimer?.Dispose();
            SetStateLocked(PeerConnectionState.Connected);
            foreach (var channel in _channels.Values)
            {
                channel.MarkOpen();
            }

            _connected.TrySetResult();
        };
        mux.ChannelOpenedByPeer += opened =>
        {
            var description = opened.Description;
            var options = new DataChannelOptions
            {
                Ordered = description.IsOrdered,
                MaxRetransmits = description.Reliability == DataChannelReliability.MaxRetransmits ? (int)Math.Min(description.ReliabilityParameter, int.MaxValue) : null,
                MaxPacketLifeTimeMs = description.Reliability == DataChannelReliability.MaxLifetime ? (int)Math.Min(description.ReliabilityParameter, int.MaxValue) : null,
                Protocol = description.Protocol,
                Priority = description.Priority,
            };
            var channel = new DataChannel(this, description.Label, options);
            channel.AssignId(opened.StreamId);
            channel.MarkOpen();
            _channels[opened.StreamId] = channel;
            _accepted.Writer.TryWrite(channel);
            _events.Enqueue(() => DataChannelOpened?.Invoke(channel));
        };
        mux.MessageReceived += (opened, message) =>
        {
            if (_channels.TryGetValue(opened.StreamId, out var channel))
            {
                channel.Deliver(new DataChannelMessage(message.IsText, message.Data));
            }
        };
        mux.ChannelClosing += opened =>
        {
            if (_channels.TryGetValue(opened.StreamId, out var channel))
            {
                channel.MarkClosing();
            }
        };
        mux.ChannelClosed += opened =>
        {
            if (_channels.Remove(opened.StreamId, out var channel))
            {
                channel.MarkClosed("its stream was reset");
            }
        };
        mux.AssociationDown += (reason, detail) =>
        {
            _associationDown.TrySetResult();

            // Not when we ended it ourselves: a failure or a dispose has already set the state and its reason.
            if (!_disposing && _state is not (PeerConnectionState.Failed or PeerConnectionState.Closed))
            {
                if (reason is TransportClosedReason.ClosedByPeer or TransportClosedReason.ClosedLocally)
                {
                    CloseLocked($"the SCTP association ended: {detail}");
                }
                else
                {
                    FailLocked(WebRtcLayer.Sctp, $"the SCTP association ended ({reason}): {detail}");
                }
            }
        };
    }

    internal async ValueTask SendAsync(DataChannel channel, string? text, ReadOnlyMemory<byte> binary, CancellationToken cancellationToken)
    {
        var size = text is null ? binary.Length : Utf8Length(text);
        if (channel.State == DataChannelState.Connecting)
        {
            // The peer's limit is known once its description is in, which is before the channel opens.
            await Task.WhenAny(channel.Opened, channel.Closed).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var max = RemoteMaxMessageSize;
        if (size > max)
        {
            throw new ArgumentException($"a message of {size} bytes is over the peer's max-message-size of {max} bytes", text is null ? nameof(binary) : nameof(text));
        }

        while (true)
        {
            TaskCompletionSource? waiter = null;
            lock (_gate)
            {
                if (channel.State != DataChannelState.Open || _mux is null || _disposing)
                {
                    throw new TransportClosedException(TransportClosedReason.ClosedLocally, $"{channel} is not open: nothing can be sent on it");
                }

                if (_mux.Association.BufferedAmount > _options.SendHighWaterMark)
                {
                    waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _bufferWaiters.Add(waiter);
                }
                else
                {
                    try
                    {
                        if (text is null)
                        {
                            _mux.SendBinary(channel.Id, binary, NowMs);
                        }
                        else
                        {
                            _mux.SendText(channel.Id, text, NowMs);
                        }
                    }
                    catch (SctpSendRefusedException e)
                    {
                        throw new TransportClosedException(TransportClosedReason.ClosedLocally, $"{channel}: SCTP refused the message: {e.Message}");
                    }

                    PumpLocked();
                }
            }

            if (waiter is null)
            {
                RaiseEvents();
                return;
            }

            await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal void CloseChannel(DataChannel channel)
    {
        lock (_gate)
        {
            if (!channel.HasId || _mux is null)
            {
                // Never opened on the wire: nothing to reset.
                _waitingForRole.Remove(channel);
                channel.MarkClosed("closed before it opened");
                return;
            }

            if (channel.State is DataChannelState.Closing or DataChannelState.Closed)
            {
                return;
            }

            channel.MarkClosing();
            _mux.Close(channel.Id, NowMs);
            PumpLocked();
        }

        RaiseEvents();
    }

    private static int Utf8Length(string text)
    {
        try
        {
            return new System.Text.UTF8Encoding(false, true).GetByteCount(text);
        }
        catch (System.Text.EncoderFallbackException e)
        {
            throw new ArgumentException("the text is not valid Unicode (a lone surrogate)", nameof(text), e);
        }
    }
}
