using System.Globalization;
using System.Net;
using System.Text;

namespace P2PSync.Interop.Tests.Mdns;

/// <summary>The harness reads avahi's output; garbage must fail as garbage, never pass as a sighting.</summary>
public sealed class AvahiBrowseParserTests
{
    // Captured from avahi-browse -rtp 0.8 in the namespace harness.
    private const string Captured = """
        +;mdns0;IPv6;hello\032test;_p2psync._tcp;local
        +;mdns0;IPv4;hello\032test;_p2psync._tcp;local
        =;mdns0;IPv4;hello\032test;_p2psync._tcp;local;p2ptest-a.local;10.77.1.1;4242;"proto=1" "id=ABCDEF"
        =;mdns0;IPv6;hello\032test;_p2psync._tcp;local;p2ptest-a.local;fd00:77:1::1;4242;"proto=1" "id=ABCDEF"
        -;mdns0;IPv4;hello\032test;_p2psync._tcp;local
        """;

    [Fact]
    public void CapturedOutput_ParsesToEvents()
    {
        var events = AvahiBrowseParser.ParseAll(Captured);
        Assert.Equal("++==-", new string(events.Select(e => e.Kind).ToArray()));
        Assert.All(events, e => Assert.Equal("hello test", e.InstanceName));
        var v4 = events[2];
        Assert.Equal("p2ptest-a.local", v4.Host);
        Assert.Equal(IPAddress.Parse("10.77.1.1"), v4.Address);
        Assert.Equal((ushort)4242, v4.Port);
        Assert.Equal(["proto=1", "id=ABCDEF"], v4.Txt);
        Assert.Equal("ABCDEF", v4.TxtValue("ID"));
        Assert.Null(v4.TxtValue("missing"));
        Assert.Equal(IPAddress.Parse("fd00:77:1::1"), events[3].Address);
    }

    [Fact]
    public void Escapes_AreUndone()
    {
        var e = AvahiBrowseParser.ParseLine("""=;eth0;IPv4;a\.b\\c\195\169;_x._tcp;local;h.local;10.0.0.1;1;"k=\"q\"" "b=\\" "n=\000" "" "flag" """.TrimEnd());
        Assert.Equal("a.b\\cé", e.InstanceName);
        Assert.Equal(["k=\"q\"", "b=\\", "n=\0", "", "flag"], e.Txt);
        Assert.Equal("", e.TxtValue("flag"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("+")]
    [InlineData("x;eth0;IPv4;n;_t._tcp;local")]
    [InlineData("+;eth0;IPv4;n;_t._tcp")]
    [InlineData("+;eth0;IPv4;n;_t._tcp;local;extra")]
    [InlineData("+;;IPv4;n;_t._tcp;local")]
    [InlineData("+;eth0;IPv4;;_t._tcp;local")]
    [InlineData("+;eth0;IPv4;bad\\;_t._tcp;local")]
    [InlineData("+;eth0;IPv4;bad\\25;_t._tcp;local")]
    [InlineData("+;eth0;IPv4;bad\\256;_t._tcp;local")]
    [InlineData("+;eth0;IPv4;bad\\255;_t._tcp;local")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.1;1")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;;10.0.0.1;1;")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.999;1;")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.1;65536;")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.1;-1;")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.1;1;\"open")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.1;1;noquote")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.1;1;\"a\"\"b\"")]
    [InlineData("=;eth0;IPv4;n;_t._tcp;local;h.local;10.0.0.1;1;\"a\\\"")]
    public void Malformed_IsATypedError(string line)
    {
        var ex = Assert.Throws<AvahiOutputFormatException>(() => AvahiBrowseParser.ParseLine(line));
        Assert.Equal(line, ex.Line);
    }

    [Fact]
    public void RandomNamesAndTxt_RoundTrip_ThroughAvahisEscaping()
    {
        const int seed = 4_1966;
        var random = new Random(seed);
        for (var i = 0; i < 2000; i++)
        {
            var name = RandomText(random, 1, 20);
            var txt = Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomText(random, 0, 12)).ToList();
            var line = $"=;mdns0;IPv4;{EscapeLabel(name)};_p2psync._tcp;local;h.local;10.77.1.1;{random.Next(0, 65536)};{string.Join(' ', txt.Select(t => "\"" + EscapeTxt(t) + "\""))}";
            AvahiBrowseEvent parsed;
            try
            {
                parsed = AvahiBrowseParser.ParseLine(line);
            }
            catch (AvahiOutputFormatException e)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed} case {i}: {e.Message}");
            }

            Assert.True(name == parsed.InstanceName, $"seed {seed} case {i}: name {name} came back as {parsed.InstanceName}");
            Assert.True(txt.SequenceEqual(parsed.Txt), $"seed {seed} case {i}: txt [{string.Join('|', txt)}] came back as [{string.Join('|', parsed.Txt)}]");
        }
    }

    [Fact]
    public void MutatedLines_ParseOrFailTyped_NeverAnythingElse()
    {
        const int seed = 20_261_122;
        var random = new Random(seed);
        var lines = Captured.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        const string alphabet = ";\\\"= .:0123456789aZ+-é\u00ff";
        for (var i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(lines[random.Next(lines.Length)]);
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(text.Length + 1);
                switch (random.Next(3))
                {
                    case 0 when at < text.Length:
                        text.Remove(at, 1);
                        break;
                    case 1 when at < text.Length:
                        text[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    default:
                        text.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                }
            }

            try
            {
                AvahiBrowseParser.ParseLine(text.ToString());
            }
            catch (AvahiOutputFormatException)
            {
                // The one allowed way to refuse.
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"seed {seed} case {i}: {e.GetType().Name} for {text}: {e.Message}");
            }
        }
    }

    private static string RandomText(Random random, int min, int max)
    {
        const string pool = "abcXYZ019 ._-\\\";=é中";
        var length = random.Next(min, max + 1);
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            text.Append(random.Next(10) == 0 ? char.ConvertFromUtf32(0x1F600 + random.Next(16)) : pool[random.Next(pool.Length)].ToString());
        }

        return text.ToString();
    }

    // The escaping avahi_escape_label applies (avahi-browse -p prints instance names this way).
    private static string EscapeLabel(string name)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            var c = (char)b;
            if (c is '.' or '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                text.Append(c);
            }
            else
            {
                text.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }

    // avahi_string_list_to_string: quotes and backslashes escaped, other bytes outside printable ASCII as \DDD.
    private static string EscapeTxt(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                text.Append('\\').Append((char)b);
            }
            else if (b is < 32 or >= 127)
            {
                text.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.ToString();
    }
}
