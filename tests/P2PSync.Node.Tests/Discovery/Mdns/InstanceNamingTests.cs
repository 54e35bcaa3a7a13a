using System.Text;
using P2PSync.Node.Discovery.Mdns;
using P2PSync.Node.Discovery.Mdns.Wire;

namespace P2PSync.Node.Tests.Discovery.Mdns;

/// <summary>Instance and host names always fit one DNS label, cut on code point boundaries.</summary>
public sealed class InstanceNamingTests
{
    [Fact]
    public void Conflict_suffixes_follow_the_dns_sd_and_host_conventions()
    {
        Assert.Equal("Laptop", InstanceNaming.Instance("Laptop", 1));
        Assert.Equal("Laptop (2)", InstanceNaming.Instance("Laptop", 2));
        Assert.Equal("Laptop (12)", InstanceNaming.Instance("Laptop", 12));
        Assert.Equal("p2psync-abc", InstanceNaming.Host("p2psync-abc", 1));
        Assert.Equal("p2psync-abc-3", InstanceNaming.Host("p2psync-abc", 3));
    }

    [Fact]
    public void Seeded_random_names_are_cut_to_a_prefix_that_fits_and_never_splits_a_character()
    {
        const int seed = 977;
        var random = new Random(seed);
        string[] pieces = ["a", "Z", " ", ".", "é", "日本", "🙂", "(", "ß", "\u0301"];
        for (var i = 0; i < 2000; i++)
        {
            var name = string.Concat(Enumerable.Range(0, random.Next(1, 60)).Select(_ => pieces[random.Next(pieces.Length)]));
            var attempt = 1 + random.Next(200);
            var label = InstanceNaming.Instance(name, attempt);
            var context = $"seed {seed}, case {i}: \"{name}\" attempt {attempt} -> \"{label}\"";

            Assert.True(Encoding.UTF8.GetByteCount(label) <= DnsName.MaxLabelBytes, context);
            var stem = attempt == 1 ? label : label[..label.LastIndexOf(" (", StringComparison.Ordinal)];
            Assert.True(name.StartsWith(stem, StringComparison.Ordinal), context);
            Assert.False(stem.Length > 0 && char.IsHighSurrogate(stem[^1]), context);

            // Whatever was cut, the result is a valid label of a valid instance name.
            _ = MdnsNames.P2PSyncService.Prepend(label);
        }
    }
}
