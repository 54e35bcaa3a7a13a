using System.Text.Json;
using P2PSync.Node.Hosting;
using P2PSync.Node.Security.Spaces;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// Turns publishes on a space's rendezvous topic into messages this device may act on, or says why
/// not. Sans-IO: the caller passes the clock. Checks, in order: the envelope opens under a key of
/// the space and is a rendezvous envelope; the message decodes and its sender's signature holds;
/// it names the topic's space and the space's current epoch; it is not our own echo; its sender is
/// a current member; it is for us (or everyone); its time is within <see cref="MaxSkew"/> of ours;
/// it was not seen before. Never throws for bad input.
/// </summary>
internal sealed class RendezvousInbox
{
    /// <summary>Messages further than this from our clock, either way, are refused as stale.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(2);

    private readonly DeviceId _self;
    private readonly IRendezvousSpaces _spaces;
    private readonly RendezvousReplayWindow _replays;

    public RendezvousInbox(DeviceId self, IRendezvousSpaces spaces, int replayCapacity = 4096)
    {
        _self = self;
        _spaces = spaces;
        _replays = new RendezvousReplayWindow(replayCapacity, MaxSkew);
    }

    /// <summary>The publish's data (a base64 string of the sealed envelope) as it came from the relay.</summary>
    public RendezvousVerdict Take(SpaceId space, JsonElement data, long nowMs)
    {
        if (RendezvousEnvelope.FromData(data) is not { } sealedBytes)
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.NotSealed, "the data is not a base64 string");
        }

        return Take(space, sealedBytes, nowMs);
    }

    public RendezvousVerdict Take(SpaceId space, ReadOnlySpan<byte> sealedBytes, long nowMs)
    {
        OpenedEnvelope opened;
        try
        {
            opened = _spaces.Open(space, sealedBytes);
        }
        catch (Exception ex) when (ex is SealedEnvelopeException or UnknownSpaceException)
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.NotSealed, ex.Message);
        }

        if (opened.Kind != SealedEnvelopeKind.WebRtcRendezvous)
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.WrongKind, $"a {opened.Kind} envelope on the rendezvous topic");
        }

        RendezvousMessage message;
        try
        {
            message = RendezvousCodec.Decode(opened.Plaintext);
        }
        catch (RendezvousFormatException ex)
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.Malformed, $"{ex.Problem}: {ex.Message}");
        }

        if (!message.Space.Equals(space))
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.WrongSpace, $"signed for space {message.Space}, posted to the topic of {space}");
        }

        if (message.Epoch != opened.Epoch || _spaces.CurrentEpoch(space) is not { } current || message.Epoch != current)
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.WrongEpoch, $"signed for epoch {message.Epoch}, sealed under {opened.Epoch}, current {_spaces.CurrentEpoch(space)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}");
        }

        if (message.Sender.Equals(_self))
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.Own, "our own message");
        }

        if (!_spaces.IsMember(space, message.Sender))
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.NotAMember, $"{message.Sender.ToShortString()} is not a member of {space}");
        }

        if (!message.IsBroadcast && !message.Target.Equals(_self))
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.NotForUs, $"for {message.Target.ToShortString()}");
        }

        var skew = Math.Abs(nowMs - message.TimestampMs);
        if (skew > (long)MaxSkew.TotalMilliseconds)
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.Stale, $"{message.Type} from {message.Sender.ToShortString()} is {skew / 1000} s away from our clock");
        }

        if (!_replays.TryRecord(opened.Plaintext.AsSpan(^RendezvousCodec.SignatureLength..), message.TimestampMs, nowMs))
        {
            return RendezvousVerdict.Refused(RendezvousRefusal.Replayed, $"{message.Type} from {message.Sender.ToShortString()} seen before");
        }

        return RendezvousVerdict.Taken(message);
    }
}
