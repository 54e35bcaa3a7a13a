namespace P2PSync.Node.Discovery.Mdns.Wire;

/// <summary>
/// Rdata of a type we do not interpret, kept byte for byte so a packet that also carries
/// records we do not know still decodes, and re-encodes unchanged.
/// </summary>
internal sealed record OpaqueData : DnsRecordData
{
    private readonly byte[] _raw;

    public OpaqueData(byte[] raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        if (raw.Length > ushort.MaxValue)
            throw new DnsFormatException($"Rdata of {raw.Length} bytes exceeds the 65535 an rdlength can say.");
        // Copied so the caller cannot change a record after handing it over.
        _raw = (byte[])raw.Clone();
    }

    /// <summary>The rdata bytes (a copy; the record stays immutable).</summary>
    public byte[] Raw => (byte[])_raw.Clone();

    internal ReadOnlySpan<byte> RawSpan => _raw;

    public bool Equals(OpaqueData? other) => other is not null && _raw.AsSpan().SequenceEqual(other._raw);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_raw);
        return hash.ToHashCode();
    }
}
