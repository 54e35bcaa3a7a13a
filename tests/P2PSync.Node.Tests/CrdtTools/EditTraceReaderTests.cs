using System.IO.Compression;
using System.Text;
using P2PSync.Node.CrdtTools;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.CrdtTools;

public sealed class EditTraceReaderTests
{
    [Fact]
    public void ReadsGzippedTraceWithCountsFromItsReadme()
    {
        var trace = EditTraceReader.ReadFile(RepoPaths.Trace("sequential/sveltecomponent.json.gz"));

        Assert.Equal("", trace.StartContent);
        Assert.Equal(18_335, trace.Transactions.Length);
        Assert.Equal(19_749, trace.PatchCount);
        Assert.Equal(18_451, trace.EndContent.Length);
    }

    // Counts from bench/traces/README.md: every real trace parses and passes position validation.
    [Theory]
    [InlineData("sequential/automerge-paper.json.gz", 259_778, 259_778, 104_852)]
    [InlineData("sequential/seph-blog1.json.gz", 137_154, 137_993, 56_769)]
    [InlineData("sequential/friendsforever_flat.json.gz", 26_078, 26_078, 21_362)]
    [InlineData("sequential/clownschool_flat.json.gz", 23_136, 23_182, 21_148)]
    [InlineData("sequential/rustcode.json.gz", 36_981, 40_173, 65_218)]
    [InlineData("sequential/json-crdt-patch.json.gz", 18_639, 18_723, 49_302)]
    [InlineData("sequential/egwalker.json.gz", 513_072, 517_599, 122_271)]
    public void EveryBundledTraceParsesAndFitsItsText(string file, int txns, int patches, int finalLength)
    {
        var trace = EditTraceReader.ReadFile(RepoPaths.Trace(file));

        Assert.Equal(txns, trace.Transactions.Length);
        Assert.Equal(patches, trace.PatchCount);
        Assert.Equal(finalLength, trace.EndContent.Length);
    }

    [Fact]
    public void ReadsPlainJson()
    {
        var trace = Parse("""{"startContent":"x","endContent":"xy","txns":[{"time":"t","patches":[[1,0,"y"]]}]}""");

        Assert.Equal("x", trace.StartContent);
        Assert.Equal(new TracePatch(1, 0, "y"), Assert.Single(Assert.Single(trace.Transactions)));
    }

    [Theory]
    [InlineData("[]", "top level")]
    [InlineData("{\"txns\":[]}", "endContent")]
    [InlineData("{\"endContent\":\"\"}", "txns")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{}]}", "txn 0")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{\"patches\":[[0,0]]}]}", "txn 0 patch 0")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{\"patches\":[[-1,0,\"a\"]]}]}", "non-negative")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{\"patches\":[[1.5,0,\"a\"]]}]}", "non-negative")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{\"patches\":[[0,0,5]]}]}", "insertText")]
    [InlineData("{\"endContent\":5,\"txns\":[]}", "endContent")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{\"patches\":[[1,0,\"a\"]]}]}", "past the end")]
    [InlineData("{\"endContent\":\"\",\"txns\":[{\"patches\":[[0,1,\"\"]]}]}", "past the end")]
    [InlineData("{\"startContent\":\"\\ud83d\\ude00\",\"endContent\":\"\",\"txns\":[{\"patches\":[[0,2,\"\"]]}]}", "past the end")]
    [InlineData("{\"kind\":\"concurrent\",\"endContent\":\"\",\"txns\":[]}", "concurrent")]
    [InlineData("{\"endContent\":", "JSON")]
    public void RejectsMalformedTraceWithUsefulMessage(string json, string expected)
    {
        var ex = Assert.Throws<TraceFormatException>(() => Parse(json));

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsBrokenGzip()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bad.json.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7]);

        Assert.Throws<TraceFormatException>(() => EditTraceReader.ReadFile(path));
    }

    [Fact]
    public void RejectsGzipBombBeyondTheCap()
    {
        using var dir = new TempDirectory();
        var path = dir.Combine("bomb.json.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.SmallestSize))
        {
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i <= EditTraceReader.MaxDecompressedBytes / zeros.Length; i++)
            {
                gzip.Write(zeros);
            }
        }

        var ex = Assert.Throws<TraceFormatException>(() => EditTraceReader.ReadFile(path));

        Assert.Contains("decompresses to more than", ex.Message, StringComparison.Ordinal);
    }

    private static EditTrace Parse(string json) => EditTraceReader.Parse(Encoding.UTF8.GetBytes(json));
}
