using P2PSync.Node.Tests.Support;
using P2PSync.Node.Transport.WebRtc.Dtls;
using Xunit.Abstractions;

namespace P2PSync.Node.Tests.Transport.WebRtc.Dtls;

public sealed class ApplicationDataBypassTests(ITestOutputHelper output)
{
    private const byte Alert = 21;
    private const byte Handshake = 22;
    private const byte ApplicationData = 23;

    [Fact]
    public void Application_data_is_opened_here_and_nothing_is_left_for_bouncy_castle()
    {
        using var precheck = DtlsTestRecords.ArmedPrecheck();
        var bypass = new ApplicationDataBypass(precheck);
        var opened = new List<byte[]>();

        var rest = bypass.Split(DtlsTestRecords.Build(ApplicationData, 1, 5, "sctp packet"u8), opened);

        Assert.Null(rest);
        Assert.Equal(["sctp packet"u8.ToArray()], opened);
        Assert.Equal(1, bypass.RecordsOpened);
    }

    [Fact]
    public void Alerts_and_handshake_records_stay_for_bouncy_castle_in_their_order()
    {
        using var precheck = DtlsTestRecords.ArmedPrecheck();
        var bypass = new ApplicationDataBypass(precheck);
        var opened = new List<byte[]>();
        var closeNotify = DtlsTestRecords.Build(Alert, 1, 7, [1, 0]);
        var retransmittedFinished = DtlsTestRecords.Build(Handshake, 1, 0, [20, 0, 0, 12]);
        var hello = DtlsTestRecords.Build(Handshake, 0, 3, [1, 0, 0, 0], encrypt: false);
        var data = DtlsTestRecords.Build(ApplicationData, 1, 6, "last words"u8);

        var rest = bypass.Split([.. hello, .. data, .. retransmittedFinished, .. closeNotify], opened);

        Assert.NotNull(rest);
        Assert.Equal([.. hello, .. retransmittedFinished, .. closeNotify], rest);
        Assert.Equal(["last words"u8.ToArray()], opened);
    }

    [Fact]
    public void Forged_replayed_and_other_epoch_records_are_never_handed_up()
    {
        using var precheck = DtlsTestRecords.ArmedPrecheck();
        var bypass = new ApplicationDataBypass(precheck);
        var opened = new List<byte[]>();
        var genuine = DtlsTestRecords.Build(ApplicationData, 1, 9, "genuine"u8);
        var forged = genuine.ToArray();
        forged[^1] ^= 0x80;
        var epochTwo = DtlsTestRecords.Build(ApplicationData, 2, 1, "later epoch"u8);
        var plaintextData = DtlsTestRecords.Build(ApplicationData, 0, 1, "clear"u8, encrypt: false);

        Assert.Null(bypass.Split(forged, opened));
        Assert.Null(bypass.Split(genuine, opened));
        Assert.Null(bypass.Split(genuine, opened));
        Assert.Equal(epochTwo, bypass.Split(epochTwo, opened));
        Assert.Equal(plaintextData, bypass.Split(plaintextData, opened));

        Assert.Equal(["genuine"u8.ToArray()], opened);
        Assert.Equal(1, precheck.ForgedRecords);
        Assert.Equal(1, bypass.ReplayedRecords);
    }

    [Fact]
    public void Before_the_keys_are_known_everything_goes_to_bouncy_castle()
    {
        using var precheck = new DtlsRecordPrecheck();
        var bypass = new ApplicationDataBypass(precheck);
        var opened = new List<byte[]>();
        var data = DtlsTestRecords.Build(ApplicationData, 1, 1, "early"u8);

        Assert.Equal(data, bypass.Split(data, opened));
        Assert.Empty(opened);
    }

    [Fact]
    public void Seeded_mutations_of_good_datagrams_never_throw_and_never_yield_altered_plaintext()
    {
        const int seed = 20261124;
        output.WriteLine($"mutation seed {seed}");
        var random = new Random(seed);
        using var precheck = DtlsTestRecords.ArmedPrecheck();
        var bypass = new ApplicationDataBypass(precheck);
        var payloads = new HashSet<string>();
        var samples = new List<byte[]>();
        for (var i = 0; i < 8; i++)
        {
            var payload = new byte[random.Next(1, 1200)];
            random.NextBytes(payload);
            payloads.Add(Convert.ToHexString(payload));
            samples.Add(DtlsTestRecords.Build(ApplicationData, 1, 1000 + i, payload));
        }

        var opened = new List<byte[]>();
        for (var i = 0; i < 2000; i++)
        {
            var hostile = ByteMutator.Mutate(samples[random.Next(samples.Count)], random);
            bypass.Split(hostile, opened);
        }

        Assert.All(opened, plaintext => Assert.Contains(Convert.ToHexString(plaintext), payloads));
        Assert.True(opened.Count <= samples.Count, $"seed {seed}: {opened.Count} plaintexts from {samples.Count} distinct records (replays got through)");
    }
}
