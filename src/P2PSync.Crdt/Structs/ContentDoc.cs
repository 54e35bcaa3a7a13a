using P2PSync.Crdt.Core;
using P2PSync.Crdt.Encoding;

namespace P2PSync.Crdt.Structs;

/// <summary>
/// A subdocument (ref 9). On the wire it is the guid plus the options another peer needs to
/// create the same subdocument (gc, autoLoad, meta); its content syncs separately.
/// </summary>
internal sealed class ContentDoc : IContent
{
    public ContentDoc(Doc doc)
    {
        Doc = doc;
        // Only options that differ from the defaults are sent, in this key order (as yjs).
        var opts = new Dictionary<string, object?>();
        if (!doc.Gc)
        {
            opts["gc"] = false;
        }
        if (doc.AutoLoad)
        {
            opts["autoLoad"] = true;
        }
        if (doc.Meta is not null)
        {
            opts["meta"] = doc.Meta;
        }
        Opts = opts;
    }

    /// <summary>The subdocument; replaced by a fresh instance when the loaded one is destroyed.</summary>
    public Doc Doc { get; set; }

    public IReadOnlyDictionary<string, object?> Opts { get; }

    public int Length => 1;

    public bool Countable => true;

    public int Ref => 9;

    public IReadOnlyList<object?> GetContent() => [Doc];

    public IContent Copy() => new ContentDoc(CreateDocFromOpts(Doc.Guid, Opts));

    public IContent Splice(int offset) =>
        throw new InvalidOperationException("Subdocument content has length 1 and cannot be split.");

    public bool MergeWith(IContent right) => false;

    public void Integrate(Transaction transaction, Item item)
    {
        Doc.Item = item;
        transaction.SubdocsAdded.Add(Doc);
        if (Doc.ShouldLoad)
        {
            transaction.SubdocsLoaded.Add(Doc);
        }
    }

    public void Delete(Transaction transaction)
    {
        if (!transaction.SubdocsAdded.Remove(Doc))
        {
            transaction.SubdocsRemoved.Add(Doc);
        }
    }

    public void Gc(StructStore store)
    {
    }

    public void Write(IUpdateEncoder encoder, int offset)
    {
        encoder.WriteString(Doc.Guid);
        encoder.WriteAny(Opts);
    }

    /// <summary>
    /// A new, unloaded subdocument from wire options, read with JS semantics: <c>new Doc({ guid,
    /// ...opts, shouldLoad: opts.shouldLoad || opts.autoLoad || false })</c>, where absent or
    /// undefined options take the Doc defaults and present ones count by JS truthiness.
    /// </summary>
    /// <param name="guid">The subdocument's guid.</param>
    /// <param name="opts">Options as sent on the wire.</param>
    /// <param name="shouldLoad">Overrides the computed shouldLoad (Doc.destroy passes false).</param>
    public static Doc CreateDocFromOpts(string guid, IReadOnlyDictionary<string, object?> opts, bool? shouldLoad = null)
    {
        var gc = TryGet(opts, "gc", out var gcValue) ? JsTruthy(gcValue) : true;
        var autoLoad = TryGet(opts, "autoLoad", out var autoLoadValue) && JsTruthy(autoLoadValue);
        var meta = TryGet(opts, "meta", out var metaValue) ? metaValue : null;
        if (TryGet(opts, "guid", out var guidValue) && guidValue is string guidOverride)
        {
            guid = guidOverride;
        }
        var collectionId = TryGet(opts, "collectionid", out var collectionValue) ? collectionValue as string : null;
        var load = shouldLoad ?? ((TryGet(opts, "shouldLoad", out var loadValue) && JsTruthy(loadValue)) || autoLoad);
        return new Doc(new DocOptions
        {
            Guid = guid,
            CollectionId = collectionId,
            Gc = gc,
            Meta = meta,
            AutoLoad = autoLoad,
            ShouldLoad = load,
        });
    }

    public static ContentDoc Read(IUpdateDecoder decoder)
    {
        var guid = decoder.ReadString();
        var opts = decoder.ReadAny() switch
        {
            IReadOnlyDictionary<string, object?> map => map,
            // yjs reads opts.shouldLoad, which throws for null/undefined; any other value spreads to nothing.
            null or Undefined => throw new UpdateFormatException("Subdocument options must not be null."),
            _ => new Dictionary<string, object?>(),
        };
        return new ContentDoc(CreateDocFromOpts(guid, opts));
    }

    // A destructuring default applies to absent keys and to explicit undefined alike.
    private static bool TryGet(IReadOnlyDictionary<string, object?> opts, string key, out object? value) =>
        opts.TryGetValue(key, out value) && value is not Undefined;

    private static bool JsTruthy(object? value) => value switch
    {
        null or Undefined => false,
        bool b => b,
        string s => s.Length > 0,
        System.Numerics.BigInteger big => !big.IsZero,
        _ when Lib0Any.IsNumber(value) => Lib0Any.ToDouble(value!) is var d && d != 0 && !double.IsNaN(d),
        _ => true,
    };
}
