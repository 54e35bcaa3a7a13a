using P2PSync.Node.Transport.WebRtc.Sctp.Params;

namespace P2PSync.Node.Transport.WebRtc.Sctp.Chunks;

/// <summary>
/// ABORT (type 6, flag T = bit 0) and ERROR (type 9): both are just a list of error causes
/// (RFC 9260 §3.3.7, §3.3.10). ABORT ends the association; ERROR only reports.
/// </summary>
internal sealed class ErrorCausesChunk : SctpChunk
{
    public ErrorCausesChunk(bool isAbort, IReadOnlyList<ErrorCause> causes, bool tagReflected = false)
    {
        IsAbort = isAbort;
        Causes = causes;
        TagReflected = isAbort && tagReflected;
    }

    public bool IsAbort { get; }

    public bool TagReflected { get; }

    public IReadOnlyList<ErrorCause> Causes { get; }

    public override byte TypeCode => (byte)(IsAbort ? SctpChunkType.Abort : SctpChunkType.Error);

    public override byte Flags => TagReflected ? SimpleChunk.TagReflectedFlag : (byte)0;

    public override int ValueLength => ErrorCause.UnpaddedLength(Causes);

    public static ErrorCausesChunk Read(bool isAbort, byte flags, ReadOnlySpan<byte> value) =>
        new(isAbort, ErrorCause.ReadAll(value), (flags & SimpleChunk.TagReflectedFlag) != 0);

    protected override void WriteValue(Span<byte> value)
    {
        // WriteAll pads the last cause too; the base class owns the padding, so write into scratch when it would overflow.
        var padded = new byte[SctpFormat.Pad4(value.Length)];
        ErrorCause.WriteAll(Causes, padded);
        padded.AsSpan(0, value.Length).CopyTo(value);
    }
}
