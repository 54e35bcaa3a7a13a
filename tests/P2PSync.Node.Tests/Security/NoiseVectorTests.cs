using System.Text.Json;
using P2PSync.Node.Crypto;
using P2PSync.Node.Security;

namespace P2PSync.Node.Tests.Security;

/// <summary>
/// Our Noise XX against the published cacophony and snow vectors for exactly
/// Noise_XX_25519_ChaChaPoly_BLAKE2b (XX1 and psk variants in the files are other protocols).
/// </summary>
public sealed class NoiseVectorTests
{
    public static TheoryData<string, int> Vectors()
    {
        var data = new TheoryData<string, int>();
        foreach (var file in VectorFiles())
        {
            var vectors = Load(file);
            for (var i = 0; i < vectors.Count; i++)
            {
                if (vectors[i].GetProperty("protocol_name").GetString() == NoiseXXHandshake.ProtocolName)
                {
                    data.Add(Path.GetFileName(file), i);
                }
            }
        }

        return data;
    }

    [Fact]
    public void BothVectorFilesAreCopiedAndEachHasOneXXVector()
    {
        var files = VectorFiles().Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(new List<string> { "cacophony-XX_25519_ChaChaPoly_BLAKE2b.json", "snow-XX_25519_ChaChaPoly_BLAKE2b.json" }, files);
        Assert.Equal(2, Vectors().Count);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void HandshakeAndTransportMessagesMatchTheVector(string file, int index)
    {
        var vector = Load(Path.Combine(VectorDirectory, file))[index];
        using var initiator = new NoiseXXHandshake(
            initiator: true, Hex(vector, "init_prologue"), Hex(vector, "init_static"), Hex(vector, "init_ephemeral"));
        using var responder = new NoiseXXHandshake(
            initiator: false, Hex(vector, "resp_prologue"), Hex(vector, "resp_static"), Hex(vector, "resp_ephemeral"));
        var messages = vector.GetProperty("messages").EnumerateArray().ToArray();
        Assert.True(messages.Length > 3, "a vector has handshake and transport messages");

        for (var i = 0; i < 3; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (initiator, responder) : (responder, initiator);
            var payload = Hex(messages[i], "payload");
            var ciphertext = writer.WriteMessage(payload);
            Assert.Equal(Convert.ToHexStringLower(Hex(messages[i], "ciphertext")), Convert.ToHexStringLower(ciphertext));
            Assert.Equal(payload, reader.ReadMessage(ciphertext));
        }

        Assert.True(initiator.IsComplete);
        Assert.True(responder.IsComplete);
        Assert.Equal(PublicKey(Hex(vector, "resp_static")), initiator.RemoteStaticKey);
        Assert.Equal(PublicKey(Hex(vector, "init_static")), responder.RemoteStaticKey);
        Assert.Equal(initiator.HandshakeHash, responder.HandshakeHash);
        if (vector.TryGetProperty("handshake_hash", out _))
        {
            Assert.Equal(Hex(vector, "handshake_hash"), initiator.HandshakeHash);
        }

        var (initiatorSend, initiatorReceive) = initiator.Split();
        var (responderSend, responderReceive) = responder.Split();
        for (var i = 3; i < messages.Length; i++)
        {
            var (send, receive) = i % 2 == 0 ? (initiatorSend, responderReceive) : (responderSend, initiatorReceive);
            var payload = Hex(messages[i], "payload");
            var ciphertext = new byte[send.CiphertextLength(payload.Length)];
            send.EncryptWithAd([], payload, ciphertext);
            Assert.Equal(Convert.ToHexStringLower(Hex(messages[i], "ciphertext")), Convert.ToHexStringLower(ciphertext));
            var plaintext = new byte[payload.Length];
            receive.DecryptWithAd([], ciphertext, plaintext);
            Assert.Equal(payload, plaintext);
        }
    }

    private static string VectorDirectory => Path.Combine(AppContext.BaseDirectory, "Security", "Vectors");

    private static string[] VectorFiles() => Directory.GetFiles(VectorDirectory, "*.json");

    private static List<JsonElement> Load(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        return document.RootElement.GetProperty("vectors").EnumerateArray().Select(v => v.Clone()).ToList();
    }

    private static byte[] Hex(JsonElement element, string property) =>
        Convert.FromHexString(element.GetProperty(property).GetString() ?? "");

    private static byte[] PublicKey(byte[] secret)
    {
        var publicKey = new byte[Sodium.X25519KeyBytes];
        Sodium.X25519PublicKey(secret, publicKey);
        return publicKey;
    }
}
