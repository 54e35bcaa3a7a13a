using P2PSync.Node.Security.Invites;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Tests.Security.Invites;

/// <summary>The fixed invite behind the golden code, and seeded random invites for round trips.</summary>
internal static class InviteSamples
{
    /// <summary>Unix seconds of 2027-01-15T08:00:00Z.</summary>
    public const long GoldenExpiry = 1_800_000_000;

    public static readonly string[] GoldenAddresses = ["192.168.1.20:41234", "[fe80::1]:41234"];

    public static byte[] Sequence(int start, int length) => Enumerable.Range(start, length).Select(i => (byte)i).ToArray();

    public static InviteCode Golden() => new(
        Sequence(0x00, 16),
        InviteRole.Editor,
        DeviceId.FromPublicKey(Sequence(0x20, 32)),
        GoldenAddresses,
        GoldenExpiry,
        Sequence(0x40, 32));

    /// <summary>A random but valid invite: any number of addresses up to 8, some at the 255-byte limit or non-ASCII.</summary>
    public static InviteCode Random(Random random)
    {
        var addresses = new string[random.Next(InviteAddress.MaxCount + 1)];
        for (var i = 0; i < addresses.Length; i++)
        {
            addresses[i] = random.Next(4) switch
            {
                0 => $"{random.Next(256)}.{random.Next(256)}.{random.Next(256)}.{random.Next(256)}:{random.Next(1, 65536)}",
                1 => $"[fd00::{random.Next(65536):x}]:{random.Next(1, 65536)}",
                2 => $"höst-{random.Next(1000)}.lokal:{random.Next(1, 65536)}",
                _ => new string('h', InviteAddress.MaxBytes - 6) + ":65535",
            };
        }

        var spaceId = new byte[InviteCode.SpaceIdBytes];
        var key = new byte[DeviceId.KeyLength];
        var secret = new byte[InviteCode.SecretBytes];
        random.NextBytes(spaceId);
        random.NextBytes(key);
        random.NextBytes(secret);
        return new InviteCode(
            spaceId,
            random.Next(2) == 0 ? InviteRole.Editor : InviteRole.Viewer,
            DeviceId.FromPublicKey(key),
            addresses,
            random.NextInt64(InviteCode.MaxExpiresAtUnixSeconds + 1),
            secret);
    }

    /// <summary>The symbol values a text stands for, the way the decoder reads it (separators dropped, aliases folded).</summary>
    public static string Normalize(string text) =>
        new(text.Where(c => c != '-' && !char.IsWhiteSpace(c))
            .Select(c => CrockfordBase32.ValueOf(c) is var v and >= 0 ? CrockfordBase32.Alphabet[v] : c)
            .ToArray());
}
