using P2PSync.Protocol.Identity;

namespace P2PSync.Node.Storage;

/// <summary>Which values the store accepts as the device that set a document's name (<c>documents.name_changed_by</c>).</summary>
internal static class NameAuthors
{
    /// <summary>What a rename by no known device records (and what rows from older stores hold).</summary>
    public const string Unknown = "";

    /// <summary>The stored text for <paramref name="device"/>: its canonical DeviceId text, or <see cref="Unknown"/> for an empty id.</summary>
    public static string Of(DeviceId device) => device.IsEmpty ? Unknown : device.ToString();

    /// <summary>
    /// Accepts <see cref="Unknown"/> or a DeviceId in its canonical text form (as
    /// <see cref="DeviceId.ToString"/> writes it) and throws <see cref="InvalidStoreInputException"/>
    /// for anything else (the message never repeats a peer's raw value: it ends up in logs).
    /// Canonical only: ties are broken by ordinal comparison of this text, so a lower-case or
    /// hyphenated spelling of the same device would sort differently than the canonical one
    /// other nodes store.
    /// </summary>
    public static string Validate(string? changedBy)
    {
        if (changedBy is null)
        {
            throw new InvalidStoreInputException("renaming device", "it is missing (use an empty string for an unknown device)");
        }

        if (changedBy.Length == 0)
        {
            return changedBy;
        }

        if (!DeviceId.TryParse(changedBy, out var id))
        {
            throw new InvalidStoreInputException("renaming device", $"a {changedBy.Length}-character value that is not a DeviceId");
        }

        if (!string.Equals(id.ToString(), changedBy, StringComparison.Ordinal))
        {
            throw new InvalidStoreInputException("renaming device", $"device {id} is not written in canonical form");
        }

        return changedBy;
    }
}
