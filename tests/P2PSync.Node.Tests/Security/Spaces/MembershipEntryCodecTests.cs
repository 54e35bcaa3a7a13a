using System.Buffers;
using P2PSync.Node.Identity;
using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

public sealed class MembershipEntryCodecTests : IDisposable
{
    // Fixed seeds so the golden layout below is written from known bytes, not from the codec.
    private readonly DeviceKey _author = DeviceKey.FromSeed(Enumerable.Repeat((byte)0x11, 32).ToArray());
    private readonly DeviceKey _member = DeviceKey.FromSeed(Enumerable.Repeat((byte)0x22, 32).ToArray());
    private readonly SpaceId _space = SpaceId.FromBytes(Enumerable.Range(0xA0, 16).Select(i => (byte)i).ToArray());
    private readonly byte[] _previous = Enumerable.Range(0, 32).Select(i => (byte)(0xF0 - i)).ToArray();

    public void Dispose()
    {
        _author.Dispose();
        _member.Dispose();
    }

    // Kinds as bytes: the enum is internal and xunit theories are public.
    public static TheoryData<byte, int> Lengths => new()
    {
        { (byte)MembershipEntryKind.AddMember, 187 },
        { (byte)MembershipEntryKind.ChangeRole, 187 },
        { (byte)MembershipEntryKind.RemoveMember, 186 },
        { (byte)MembershipEntryKind.RotateKey, 162 },
        { (byte)MembershipEntryKind.OpenInvite, 187 },
        { (byte)MembershipEntryKind.CloseInvite, 186 },
    };

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Each_kind_round_trips_with_its_documented_length(byte kindByte, int length)
    {
        var kind = (MembershipEntryKind)kindByte;
        var entry = Make(kind);
        var bytes = MembershipEntryCodec.Encode(entry);
        Assert.Equal(length, bytes.Length);
        Assert.Equal(length, MembershipEntryCodec.EncodedLength(kind));

        var read = MembershipEntryCodec.Read(bytes);
        Assert.Equal(entry.Kind, read.Kind);
        Assert.Equal(entry.Space, read.Space);
        Assert.Equal(entry.Sequence, read.Sequence);
        Assert.True(entry.PreviousHash.SequenceEqual(read.PreviousHash));
        Assert.Equal(entry.Author, read.Author);
        Assert.Equal(entry.Subject, read.Subject);
        Assert.Equal(entry.Role, read.Role);
        Assert.Equal(entry.Epoch, read.Epoch);
        Assert.True(entry.Signature.SequenceEqual(read.Signature));
        Assert.True(entry.Hash.SequenceEqual(read.Hash));
        Assert.True(read.HasValidSignature());
        Assert.Equal(bytes, MembershipEntryCodec.Encode(read));
    }

    [Fact]
    public void Write_appends_to_a_buffer_writer()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write<byte>([0xEE]);
        var entry = Make(MembershipEntryKind.RotateKey);
        MembershipEntryCodec.Write(entry, buffer);
        Assert.Equal(0xEE, buffer.WrittenSpan[0]);
        Assert.Equal(MembershipEntryCodec.Encode(entry), buffer.WrittenSpan[1..].ToArray());
    }

    [Fact]
    public void Golden_layout_of_an_add_member_entry()
    {
        var entry = MembershipEntry.AddMember(_space, 0x0102030405060708, _previous, _author, _member.Id, SpaceRole.Viewer);
        var expected = new List<byte> { 1, 1 };
        expected.AddRange(Enumerable.Range(0xA0, 16).Select(i => (byte)i));
        expected.AddRange([1, 2, 3, 4, 5, 6, 7, 8]);
        expected.AddRange(_previous);
        expected.AddRange(_author.PublicKey.ToArray());
        expected.AddRange(_member.PublicKey.ToArray());
        expected.Add(3);

        var bytes = MembershipEntryCodec.Encode(entry);
        Assert.Equal(Convert.ToHexString(expected.ToArray()), Convert.ToHexString(bytes[..^64]));
        Assert.Equal("p2psync/membership-entry/v1\0"u8.ToArray().Concat(expected).ToArray(), entry.SignedBytes.ToArray());

        // Ed25519 is deterministic: the same key and bytes always give the same signature.
        Assert.Equal(_author.Sign(entry.SignedBytes), bytes[^64..]);
        Assert.Equal(entry.Signature.ToArray(), MembershipEntry.AddMember(_space, 0x0102030405060708, _previous, _author, _member.Id, SpaceRole.Viewer).Signature.ToArray());
    }

    [Fact]
    public void Golden_layout_of_a_rotate_key_entry()
    {
        var entry = MembershipEntry.RotateKey(_space, 9, _previous, _author, 0x1122334455667788);
        var bytes = MembershipEntryCodec.Encode(entry);
        Assert.Equal(4, bytes[1]);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 0, 0, 0, 9 }, bytes[18..26]);
        Assert.Equal(new byte[] { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, bytes[90..98]);
    }

    [Fact]
    public void Golden_layout_of_open_and_close_invite_entries()
    {
        var open = MembershipEntryCodec.Encode(MembershipEntry.OpenInvite(_space, 2, _previous, _author, _member.Id, SpaceRole.Editor));
        var expected = new List<byte> { 1, 5 };
        expected.AddRange(Enumerable.Range(0xA0, 16).Select(i => (byte)i));
        expected.AddRange([0, 0, 0, 0, 0, 0, 0, 2]);
        expected.AddRange(_previous);
        expected.AddRange(_author.PublicKey.ToArray());
        expected.AddRange(_member.PublicKey.ToArray());
        expected.Add(2);
        Assert.Equal(Convert.ToHexString(expected.ToArray()), Convert.ToHexString(open[..^64]));

        var close = MembershipEntryCodec.Encode(MembershipEntry.CloseInvite(_space, 3, _previous, _author, _member.Id));
        expected[1] = 6;
        expected[25] = 3;
        expected.RemoveAt(expected.Count - 1);
        Assert.Equal(Convert.ToHexString(expected.ToArray()), Convert.ToHexString(close[..^64]));
        Assert.Equal(_author.Sign(MembershipEntryCodec.Read(close).SignedBytes), close[^64..]);
    }

    [Fact]
    public void Open_invite_with_an_unknown_role_is_a_format_error()
    {
        var bytes = MembershipEntryCodec.Encode(Make(MembershipEntryKind.OpenInvite));
        bytes[122] = 9;
        Assert.Contains("Role 9", Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_is_blake2b_of_the_signed_bytes_and_differs_between_entries()
    {
        var a = Make(MembershipEntryKind.AddMember);
        var b = Make(MembershipEntryKind.ChangeRole);
        var expected = new byte[32];
        P2PSync.Node.Crypto.Sodium.Blake2b(expected, a.SignedBytes);
        Assert.Equal(expected, a.Hash.ToArray());
        Assert.False(a.Hash.SequenceEqual(b.Hash));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(153)]
    [InlineData(120)]
    public void Too_short_is_a_format_error(int length)
    {
        var bytes = MembershipEntryCodec.Encode(Make(MembershipEntryKind.RotateKey))[..Math.Min(length, 162)];
        var ex = Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read(bytes));
        Assert.Contains("at least", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Truncated_or_extended_is_a_format_error(byte kind, int length)
    {
        var bytes = MembershipEntryCodec.Encode(Make((MembershipEntryKind)kind));
        Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read(bytes[..(length - 1)]));
        Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read([.. bytes, 0]));
    }

    [Fact]
    public void Unknown_version_kind_or_role_is_a_format_error()
    {
        var bytes = MembershipEntryCodec.Encode(Make(MembershipEntryKind.AddMember));

        var version = (byte[])bytes.Clone();
        version[0] = 2;
        Assert.Contains("version 2", Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read(version)).Message, StringComparison.Ordinal);

        foreach (var badKind in new byte[] { 0, 7, 255 })
        {
            var kind = (byte[])bytes.Clone();
            kind[1] = badKind;
            Assert.Contains($"kind {badKind}", Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read(kind)).Message, StringComparison.Ordinal);
        }

        foreach (var badRole in new byte[] { 0, 4, 255 })
        {
            var role = (byte[])bytes.Clone();
            role[122] = badRole;
            Assert.Contains($"Role {badRole}", Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read(role)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Kind_changed_to_one_of_another_length_is_a_format_error()
    {
        var bytes = MembershipEntryCodec.Encode(Make(MembershipEntryKind.AddMember));
        bytes[1] = (byte)MembershipEntryKind.RemoveMember;
        Assert.Contains("186 bytes", Assert.Throws<MembershipFormatException>(() => MembershipEntryCodec.Read(bytes)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_bytes_only_ever_give_format_errors_or_entries_with_bad_signatures()
    {
        const int seed = 6061;
        var random = new Random(seed);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            if (bytes.Length > 1 && random.Next(2) == 0)
            {
                bytes[0] = MembershipEntryCodec.Version;
                bytes[1] = (byte)random.Next(0, 8);
            }

            try
            {
                var entry = MembershipEntryCodec.Read(bytes);
                Assert.False(entry.HasValidSignature(), $"seed {seed}, case {i}: random bytes carried a valid signature");
            }
            catch (MembershipFormatException)
            {
                // The only failure the codec may report.
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {seed}, case {i}: {ex.GetType().Name} instead of MembershipFormatException: {ex.Message}");
            }
        }
    }

    private MembershipEntry Make(MembershipEntryKind kind) => kind switch
    {
        MembershipEntryKind.AddMember => MembershipEntry.AddMember(_space, 3, _previous, _author, _member.Id, SpaceRole.Editor),
        MembershipEntryKind.ChangeRole => MembershipEntry.ChangeRole(_space, 4, _previous, _author, _member.Id, SpaceRole.Owner),
        MembershipEntryKind.RemoveMember => MembershipEntry.RemoveMember(_space, 5, _previous, _author, _member.Id),
        MembershipEntryKind.OpenInvite => MembershipEntry.OpenInvite(_space, 8, _previous, _author, _member.Id, SpaceRole.Viewer),
        MembershipEntryKind.CloseInvite => MembershipEntry.CloseInvite(_space, 9, _previous, _author, _member.Id),
        _ => MembershipEntry.RotateKey(_space, 6, _previous, _author, 7),
    };
}
