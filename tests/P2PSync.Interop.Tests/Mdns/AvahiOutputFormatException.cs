namespace P2PSync.Interop.Tests.Mdns;

/// <summary>A line of <c>avahi-browse -p</c> output we cannot read; carries the line so a failure shows it.</summary>
internal sealed class AvahiOutputFormatException : FormatException
{
    public AvahiOutputFormatException(string problem, string line)
        : base($"{problem}: {line}")
    {
        Line = line;
    }

    public string Line { get; }
}
