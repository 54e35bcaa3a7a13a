using P2PSync.Crdt.Updates;

namespace P2PSync.Crdt.Tests.Updates;

/// <summary>Every case of updates-golden.mjs: our update utilities must give yjs's exact bytes.</summary>
public sealed class UpdatesGoldenTests
{
    private const string InputsSuffix = ":inputs";

    public static TheoryData<string> Cases => new(
        UpdatesGoldenData.Entries.Keys
            .Where(k => k.EndsWith(InputsSuffix, StringComparison.Ordinal))
            .Select(k => k[..^InputsSuffix.Length]));

    private static byte[] Input(string name) => UpdatesGoldenData.Bytes("in:" + name);

    private static string MetaText(UpdateMeta meta)
    {
        static string Text(IReadOnlyDictionary<ulong, int> map) => string.Join(";", map.Select(p => $"{p.Key}:{p.Value}"));
        return $"{Text(meta.From)}|{Text(meta.To)}";
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesYjs(string caseKey)
    {
        var inputNames = UpdatesGoldenData.Entries[caseKey + InputsSuffix];
        var inputs = inputNames.Length == 0 ? [] : inputNames.Split(',').Select(Input).ToArray();
        var expected = UpdatesGoldenData.Entries[caseKey];
        var op = caseKey[..caseKey.IndexOf(':')];
        var actual = op switch
        {
            "merge" => Convert.ToHexStringLower(Y.MergeUpdates(inputs)),
            "mergeV2" => Convert.ToHexStringLower(Y.MergeUpdatesV2(inputs)),
            "diff" => Convert.ToHexStringLower(Y.DiffUpdate(inputs[0], inputs[1])),
            "diffV2" => Convert.ToHexStringLower(Y.DiffUpdateV2(inputs[0], inputs[1])),
            "sv" => Convert.ToHexStringLower(Y.EncodeStateVectorFromUpdate(inputs[0])),
            "svV2" => Convert.ToHexStringLower(Y.EncodeStateVectorFromUpdateV2(inputs[0])),
            "meta" => MetaText(Y.ParseUpdateMeta(inputs[0])),
            "metaV2" => MetaText(Y.ParseUpdateMetaV2(inputs[0])),
            "v1to2" => Convert.ToHexStringLower(Y.ConvertUpdateFormatV1ToV2(inputs[0])),
            "v2to1" => Convert.ToHexStringLower(Y.ConvertUpdateFormatV2ToV1(inputs[0])),
            "v1to2to1" => Convert.ToHexStringLower(Y.ConvertUpdateFormatV2ToV1(Y.ConvertUpdateFormatV1ToV2(inputs[0]))),
            "v2to1to2" => Convert.ToHexStringLower(Y.ConvertUpdateFormatV1ToV2(Y.ConvertUpdateFormatV2ToV1(inputs[0]))),
            _ => throw new InvalidOperationException($"Unknown op {op}"),
        };
        Assert.Equal(expected, actual);
    }
}
