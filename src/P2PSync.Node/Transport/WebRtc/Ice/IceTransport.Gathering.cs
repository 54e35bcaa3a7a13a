using System.Net;
using P2PSync.Node.Transport.WebRtc.Stun;

namespace P2PSync.Node.Transport.WebRtc.Ice;

/// <summary>Server-reflexive gathering (RFC 8445 §5.1.1.2) and the end-of-candidates signal.</summary>
internal sealed partial class IceTransport
{
    /// <summary>Answers from the STUN server are ours, not the agent's: they carry no MAC and match our srflx transactions.</summary>
    private bool TryTakeServerReflexive(IceSocket iceSocket, ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        if (stunQueries.Count == 0 || options.StunServer is not { } server || !source.Equals(server) || !StunHeader.LooksLikeStun(datagram))
        {
            return false;
        }

        StunMessage response;
        try
        {
            response = StunReader.Read(datagram);
        }
        catch (WebRtcFormatException)
        {
            return true; // from the server, not STUN we accept: drop it here
        }

        if (!stunQueries.TryGetValue(response.TransactionId, out ServerReflexiveQuery? query) || query.Socket != iceSocket)
        {
            return false;
        }

        stunQueries.Remove(response.TransactionId);
        if (response.Class == StunClass.SuccessResponse && response.ReflexiveAddress is { } mapped && !mapped.Equals(iceSocket.Base))
        {
            var srflx = new IceCandidate(
                CandidateFoundation.Compute(IceCandidateType.ServerReflexive, iceSocket.Base.Address.ToString(), server.ToString(), "udp"),
                1, "udp", CandidatePriority.Compute(IceCandidateType.ServerReflexive, 65535 - sockets.IndexOf(iceSocket)),
                mapped.Address.ToString(), mapped.Port, IceCandidateType.ServerReflexive, iceSocket.Base.Address.ToString(), iceSocket.Base.Port);
            agent.AddLocalCandidate(srflx, iceSocket.Base);
            pendingEvents.Enqueue(() => LocalCandidate?.Invoke(srflx));
        }

        return true;
    }

    private void FinishGatheringIfDone()
    {
        lock (gate)
        {
            if (!started || gatheringDone || stunQueries.Count > 0)
            {
                return;
            }

            gatheringDone = true;
            agent.LocalGatheringComplete();
            pendingEvents.Enqueue(() => GatheringComplete?.Invoke()); // after every candidate queued before it
        }

        Pump();
    }
}
