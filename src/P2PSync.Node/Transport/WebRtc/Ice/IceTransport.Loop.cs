using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>The receive loops, the timer, and closing: every agent call goes through here under <c>gate</c>.</summary>
internal sealed partial class IceTransport
{
    private async Task ReceiveLoopAsync(IceSocket iceSocket)
    {
        byte[] buffer = new byte[2048];
        EndPoint any = new IPEndPoint(iceSocket.Base.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await iceSocket.Socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // e.g. an ICMP error reported on the next receive; UDP carries on
            }

            var source = (IPEndPoint)result.RemoteEndPoint;
            if (HandleDatagram(iceSocket, buffer.AsSpan(0, result.ReceivedBytes), source) is { } application
                && !received.Writer.TryWrite(application))
            {
                // DTLS is behind: stop reading this socket until it catches up. The kernel's receive
                // buffer (2 MiB, UdpSocketBuffers) holds what arrives meanwhile; dropping here instead
                // cost SCTP a retransmission and a halved congestion window for every datagram lost.
                try
                {
                    await received.Writer.WriteAsync(application, stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Feeds one datagram to the agent; returns a copy when it is application data (DTLS) for the layer above.</summary>
    private byte[]? HandleDatagram(IceSocket iceSocket, ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        IceInputResult result;
        lock (gate)
        {
            if (TryTakeServerReflexive(iceSocket, datagram, source))
            {
                result = IceInputResult.Stun;
            }
            else
            {
                result = agent.HandleDatagram(datagram, iceSocket.Base, source, NowMs);
            }
        }

        byte[]? application = result == IceInputResult.Application ? datagram.ToArray() : null;
        FinishGatheringIfDone();
        Pump();
        return application;
    }

    private void OnTimer()
    {
        lock (gate)
        {
            if (closed != 0)
            {
                return;
            }

            long now = NowMs;
            foreach ((TransactionId id, ServerReflexiveQuery query) in stunQueries.ToList())
            {
                if (now < query.NextSendMs)
                {
                    continue;
                }

                if (query.Sends >= options.StunServerAttempts)
                {
                    stunQueries.Remove(id); // the server did not answer: no srflx from this socket
                    continue;
                }

                query.Sends++;
                query.NextSendMs = now + options.StunServerRetryMs;
                SendRaw(query.Socket, options.StunServer!, query.Request);
            }

            agent.HandleTimeout(now);
        }

        FinishGatheringIfDone();
        Pump();
    }

    /// <summary>Sends what the agent queued, re-arms the timer and raises queued events; called after every agent call.</summary>
    private void Pump()
    {
        lock (gate)
        {
            if (closed != 0)
            {
                return;
            }

            while (agent.TryDequeueOutput(out IceOutgoingDatagram datagram))
            {
                if (sockets.Find(s => s.Base.Equals(datagram.LocalBase)) is { } socket)
                {
                    SendRaw(socket, datagram.Remote, datagram.Data);
                }
            }

            long? next = agent.NextTimeoutMs;
            foreach (ServerReflexiveQuery query in stunQueries.Values)
            {
                next = Math.Min(next ?? long.MaxValue, query.NextSendMs);
            }

            TimeSpan due = next is { } at ? TimeSpan.FromMilliseconds(Math.Max(0, at - NowMs)) : Timeout.InfiniteTimeSpan;
            timer?.Change(due, Timeout.InfiniteTimeSpan);
        }

        DrainEvents();
    }

    /// <summary>
    /// Raises queued events in order with no lock held. Only one thread drains at a time; a thread
    /// that finds another draining leaves its events to it, so a srflx candidate can never be
    /// overtaken by the end-of-candidates that followed it, and a handler may call back into us.
    /// </summary>
    private void DrainEvents()
    {
        lock (gate)
        {
            if (drainingEvents)
            {
                return;
            }

            drainingEvents = true;
        }

        try
        {
            while (true)
            {
                Action? next;
                lock (gate)
                {
                    if (!pendingEvents.TryDequeue(out next))
                    {
                        drainingEvents = false;
                        return;
                    }
                }

                next();
            }
        }
        catch
        {
            lock (gate)
            {
                drainingEvents = false;
            }

            throw;
        }
    }

    private static void SendRaw(IceSocket socket, IPEndPoint remote, ReadOnlySpan<byte> data)
    {
        try
        {
            socket.Socket.SendTo(data, SocketFlags.None, remote);
        }
        catch (SocketException)
        {
            // unreachable network or a full buffer: a lost datagram, as UDP would lose it
        }
        catch (ObjectDisposedException)
        {
            // closing; nothing more to send
        }
    }

    private void OnAgentState(IceConnectionState state)
    {
        if (state == IceConnectionState.Failed)
        {
            // Raised inside the lock by the agent; close from the thread pool so handlers run outside it.
            ThreadPool.QueueUserWorkItem(_ => Close(TransportClosedReason.TimedOut));
        }
    }

    private void Close(TransportClosedReason reason)
    {
        if (Interlocked.Exchange(ref closed, 1) != 0)
        {
            return;
        }

        closeReason = reason;
        lock (gate)
        {
            stopping.Cancel();
            timer?.Dispose();
            foreach (IceSocket iceSocket in sockets)
            {
                iceSocket.Socket.Dispose();
            }
        }

        received.Writer.TryComplete();
        Closed?.Invoke(reason);
    }
}
