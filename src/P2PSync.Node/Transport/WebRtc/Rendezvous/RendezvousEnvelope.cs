using System.Text.Json;
using P2PSync.Node.Identity;

namespace P2PSync.Node.Transport.WebRtc.Rendezvous;

/// <summary>
/// A rendezvous message as it travels in a publish's <c>data</c>: signed by the device, sealed
/// with the space's current key (kind <see cref="Security.Spaces.SealedEnvelopeKind.WebRtcRendezvous"/>),
/// base64 in a JSON string. The relay sees the topic, the size and the timing only.
/// </summary>
internal static class RendezvousEnvelope
{
    public static JsonElement ToData(RendezvousMessage message, DeviceKey signer, IRendezvousSpaces spaces)
    {
        ArgumentNullException.ThrowIfNull(spaces);
        var sealedBytes = spaces.Seal(message.Space, RendezvousCodec.Encode(message, signer));
        return JsonSerializer.SerializeToElement(Convert.ToBase64String(sealedBytes));
    }

    /// <summary>The sealed bytes, or null when the data is not a base64 string (or decodes to more than a rendezvous can be).</summary>
    public static byte[]? FromData(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        string text;
        try
        {
            text = data.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A string escape naming half a surrogate pair: not base64 either.
            return null;
        }

        if (text.Length > 4 * ((RendezvousCodec.MaxBodyBytes + 1024) / 3))
        {
            return null;
        }

        var bytes = new byte[text.Length];
        return Convert.TryFromBase64String(text, bytes, out var written) ? bytes[..written] : null;
    }
}
