using System.Text;
using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Security.Invites;

/// <summary>
/// Everything a joining device needs to redeem an invite: which space, with which role, whom to
/// contact and where, until when, and the one-time secret that proves it holds the code.
/// Every field is checked here, so an <see cref="InviteCode"/> that exists can always be encoded.
/// Text form: <see cref="InviteCodec"/> (docs/protocol/invite-code.md).
/// </summary>
/// <remarks>
/// Byte fields are copied in and out: the record is immutable, and equality compares contents
/// (records would otherwise compare arrays by reference).
/// </remarks>
internal sealed record InviteCode
{
    /// <summary>The only format version this build writes and reads.</summary>
    public const byte CurrentFormatVersion = 1;

    public const int SpaceIdBytes = 16;
    public const int SecretBytes = 32;

    /// <summary>Latest expiry that <see cref="DateTimeOffset"/> can represent (9999-12-31T23:59:59Z).</summary>
    public static readonly long MaxExpiresAtUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly byte[] _spaceId;
    private readonly byte[] _secret;
    private readonly string[] _inviterAddresses;

    /// <exception cref="ArgumentException">A field is out of range (wrong length, role owner, bad address, ...).</exception>
    public InviteCode(
        ReadOnlySpan<byte> spaceId,
        InviteRole role,
        DeviceId inviter,
        IReadOnlyList<string> inviterAddresses,
        long expiresAtUnixSeconds,
        ReadOnlySpan<byte> secret,
        byte formatVersion = CurrentFormatVersion)
    {
        ArgumentNullException.ThrowIfNull(inviterAddresses);
        if (formatVersion != CurrentFormatVersion)
        {
            throw new ArgumentOutOfRangeException(nameof(formatVersion), formatVersion, $"Only invite format version {CurrentFormatVersion} exists.");
        }

        if (spaceId.Length != SpaceIdBytes)
        {
            throw new ArgumentException($"A space id is {SpaceIdBytes} bytes, not {spaceId.Length}.", nameof(spaceId));
        }

        if (role is not (InviteRole.Editor or InviteRole.Viewer))
        {
            throw new ArgumentOutOfRangeException(nameof(role), role, "An invite grants editor or viewer; owners are never invited.");
        }

        if (inviter.IsEmpty)
        {
            throw new ArgumentException("An invite must name its inviter.", nameof(inviter));
        }

        if (inviterAddresses.Count > InviteAddress.MaxCount)
        {
            throw new ArgumentException($"An invite carries at most {InviteAddress.MaxCount} addresses, not {inviterAddresses.Count}.", nameof(inviterAddresses));
        }

        foreach (var address in inviterAddresses)
        {
            ArgumentNullException.ThrowIfNull(address, nameof(inviterAddresses));
            if (InviteAddress.FindProblem(address) is { } problem)
            {
                throw new ArgumentException($"Invalid inviter address: {problem}.", nameof(inviterAddresses));
            }
        }

        if (expiresAtUnixSeconds < 0 || expiresAtUnixSeconds > MaxExpiresAtUnixSeconds)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresAtUnixSeconds), expiresAtUnixSeconds, "The expiry must lie between 1970 and the year 9999.");
        }

        if (secret.Length != SecretBytes)
        {
            throw new ArgumentException($"An invite secret is {SecretBytes} bytes, not {secret.Length}.", nameof(secret));
        }

        _spaceId = spaceId.ToArray();
        Role = role;
        Inviter = inviter;
        _inviterAddresses = [.. inviterAddresses];
        ExpiresAtUnixSeconds = expiresAtUnixSeconds;
        _secret = secret.ToArray();
        FormatVersion = formatVersion;
    }

    /// <summary>The random 16-byte id of the space the invite joins.</summary>
    public ReadOnlySpan<byte> SpaceId => _spaceId;

    public InviteRole Role { get; }

    /// <summary>The device that issued the invite and will wrap the space key for the joiner.</summary>
    public DeviceId Inviter { get; }

    /// <summary>Where the inviter listens (host:port), tried in order; may be empty (found by discovery instead).</summary>
    public IReadOnlyList<string> InviterAddresses => _inviterAddresses;

    /// <summary>The first instant at which the code is no longer valid, in Unix seconds.</summary>
    public long ExpiresAtUnixSeconds { get; }

    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresAtUnixSeconds);

    /// <summary>The one-time secret the joiner proves knowledge of; whoever holds the code holds it.</summary>
    public ReadOnlySpan<byte> Secret => _secret;

    public byte FormatVersion { get; }

    /// <summary>True from the expiry second on: an invite valid "until 12:00" is refused at 12:00:00.</summary>
    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    public bool Equals(InviteCode? other) =>
        other is not null
        && FormatVersion == other.FormatVersion
        && Role == other.Role
        && ExpiresAtUnixSeconds == other.ExpiresAtUnixSeconds
        && Inviter == other.Inviter
        && _spaceId.AsSpan().SequenceEqual(other._spaceId)
        && _secret.AsSpan().SequenceEqual(other._secret)
        && _inviterAddresses.AsSpan().SequenceEqual(other._inviterAddresses);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_spaceId);
        hash.Add(Role);
        hash.Add(Inviter);
        hash.Add(ExpiresAtUnixSeconds);
        return hash.ToHashCode();
    }

    // The secret is a bearer credential: the record's printed form must never carry it into a log.
    // (Defining PrintMembers also stops the compiler from printing the span properties itself.)
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"SpaceId = {Convert.ToHexStringLower(_spaceId)}, Role = {Role}, Inviter = {Inviter.ToShortString()}, ");
        builder.Append($"Addresses = {_inviterAddresses.Length}, ExpiresAt = {ExpiresAt:u}, Secret = (hidden), FormatVersion = {FormatVersion}");
        return true;
    }
}
