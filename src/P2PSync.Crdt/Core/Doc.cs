using System.Buffers.Binary;
using System.Security.Cryptography;
using P2PSync.Crdt.Structs;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Core;

/// <summary>
/// A Yjs document: a set of named shared types plus the store of everything ever inserted into
/// them. Changes happen in transactions; each finished transaction raises <see cref="Update"/>
/// with the bytes to send to other replicas.
/// </summary>
public sealed class Doc
{
    private static readonly Func<Item, bool> KeepNothing = static _ => true;

    /// <summary>Creates a document; see <see cref="DocOptions"/> for the defaults.</summary>
    public Doc(DocOptions? options = null)
    {
        options ??= new DocOptions();
        Gc = options.Gc;
        GcFilter = options.GcFilter ?? KeepNothing;
        ClientId = options.ClientId ?? GenerateNewClientId();
        Guid = options.Guid ?? System.Guid.NewGuid().ToString("D");
        CollectionId = options.CollectionId;
        Meta = options.Meta;
        AutoLoad = options.AutoLoad;
        ShouldLoad = options.ShouldLoad;
    }

    /// <summary>The largest client id the wire carries (lib0 varuints hold 53 bits, JS safe integers).</summary>
    public const ulong MaxClientId = (1UL << 53) - 1;

    private ulong _clientId;

    /// <summary>
    /// The client id of local changes (at most <see cref="MaxClientId"/>; Yjs itself uses 32-bit
    /// ids). It changes if a remote update turns out to use it too.
    /// </summary>
    public ulong ClientId
    {
        get => _clientId;
        set => _clientId = value <= MaxClientId
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, $"Client ids must be at most 2^53-1 ({MaxClientId}) to be encodable.");
    }

    /// <summary>Globally unique id of the document (identifies subdocuments across peers).</summary>
    public string Guid { get; }

    /// <summary>The collection the doc belongs to, if a provider uses collections.</summary>
    public string? CollectionId { get; set; }

    /// <summary>Whether deleted content is garbage collected.</summary>
    public bool Gc { get; set; }

    /// <summary>Called before an item is collected; false keeps it.</summary>
    internal Func<Item, bool> GcFilter { get; set; }

    /// <summary>Meta information given at creation (sent along for subdocuments).</summary>
    public object? Meta { get; }

    /// <summary>For subdocuments: whether peers load it automatically.</summary>
    public bool AutoLoad { get; }

    /// <summary>Whether a provider should sync this doc now; set by <see cref="Load"/>.</summary>
    public bool ShouldLoad { get; internal set; }

    /// <summary>Whether a persistence provider has loaded the doc (set by providers).</summary>
    public bool IsLoaded { get; internal set; }

    /// <summary>Whether a connection provider has synced the doc (set by providers).</summary>
    public bool IsSynced { get; internal set; }

    /// <summary>Whether <see cref="Destroy"/> was called.</summary>
    public bool IsDestroyed { get; private set; }

    /// <summary>The root types by name (insertion order is kept, as in Yjs).</summary>
    internal Dictionary<string, AbstractType> Share { get; } = new();

    internal StructStore Store { get; } = new();

    /// <summary>The running transaction, if any.</summary>
    internal Transaction? Transaction { get; set; }

    /// <summary>Transactions waiting for (or in) cleanup; empty outside of transactions.</summary>
    internal List<Transaction> TransactionCleanups { get; } = new();

    /// <summary>
    /// The types whose observers ran for the transaction being cleaned up, in call order. Kept
    /// here and reused because cleanups of one doc never overlap (observers' transactions queue).
    /// </summary>
    internal List<ObservedChange> ObservedChanges { get; } = new();

    /// <summary>Subdocuments currently part of this doc.</summary>
    internal HashSet<Doc> Subdocs { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>If this is a subdocument, the item holding it.</summary>
    internal Item? Item { get; set; }

    /// <summary>Raised after each transaction that changed something, with a v1 update.</summary>
    public event EventHandler<UpdateEventArgs>? Update;

    /// <summary>Raised after each transaction that changed something, with a v2 update.</summary>
    public event EventHandler<UpdateEventArgs>? UpdateV2;

    /// <summary>Raised when the first of a batch of transactions starts (nothing else is running).</summary>
    public event EventHandler? BeforeAllTransactions;

    /// <summary>Raised when a transaction starts.</summary>
    public event EventHandler<TransactionEventArgs>? BeforeTransaction;

    /// <summary>Raised when a transaction ended, before its observers are called.</summary>
    public event EventHandler<TransactionEventArgs>? BeforeObserverCalls;

    /// <summary>Raised after the observers of a transaction ran, before garbage collection.</summary>
    public event EventHandler<TransactionEventArgs>? AfterTransaction;

    /// <summary>Raised after a transaction's garbage collection and struct merging, before the update events.</summary>
    public event EventHandler<TransactionEventArgs>? AfterTransactionCleanup;

    /// <summary>Raised after a transaction and all the transactions its observers started were cleaned up.</summary>
    public event EventHandler<AfterAllTransactionsEventArgs>? AfterAllTransactions;

    /// <summary>Raised when a transaction added, removed or loaded subdocuments.</summary>
    public event EventHandler<SubdocsEventArgs>? SubdocsChanged;

    /// <summary>Raised when the doc is destroyed.</summary>
    public event EventHandler? Destroyed;

    internal bool HasUpdateListeners => Update is not null;

    internal bool HasUpdateV2Listeners => UpdateV2 is not null;

    internal bool HasAfterAllTransactionsListeners => AfterAllTransactions is not null;

    /// <summary>A random 32-bit client id from the cryptographic generator.</summary>
    internal static ulong GenerateNewClientId()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return BinaryPrimitives.ReadUInt32LittleEndian(bytes);
    }

    /// <summary>The subdocuments currently part of this doc.</summary>
    public IReadOnlyCollection<Doc> GetSubdocs() => Subdocs;

    /// <summary>The guids of the subdocuments currently part of this doc.</summary>
    public IReadOnlySet<string> GetSubdocGuids()
    {
        var guids = new HashSet<string>();
        foreach (var d in Subdocs)
        {
            guids.Add(d.Guid);
        }
        return guids;
    }

    /// <summary>
    /// Asks the parent document to load this subdocument (providers react to the subdocs event).
    /// Safe to call more than once.
    /// </summary>
    public void Load()
    {
        var item = Item;
        if (item is not null && !ShouldLoad)
        {
            Core.Transaction.Transact(item.Parent!.Doc!, tr => tr.SubdocsLoaded.Add(this), null, true);
        }
        ShouldLoad = true;
    }

    /// <summary>
    /// Runs <paramref name="f"/> in a transaction: observers and the update event run once, after it.
    /// Nested calls join the running transaction.
    /// </summary>
    public void Transact(Action<Transaction> f, object? origin = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        Core.Transaction.Transact(this, f, origin);
    }

    /// <inheritdoc cref="Transact(Action{Transaction}, object?)"/>
    public T Transact<T>(Func<Transaction, T> f, object? origin = null)
    {
        ArgumentNullException.ThrowIfNull(f);
        return Core.Transaction.Transact(this, f, origin);
    }

    /// <summary>The root type <paramref name="name"/> as a <typeparamref name="T"/>, created on first use.</summary>
    /// <exception cref="InvalidOperationException">The name is already used by a different kind of type.</exception>
    public T Get<T>(string name)
        where T : AbstractType, new() =>
        (T)Get(name, typeof(T), static () => new T());

    /// <summary>The root array <paramref name="name"/>, created on first use.</summary>
    public YArray GetArray(string name = "") => (YArray)Get(name, typeof(YArray), static () => new YArray());

    /// <summary>The root text <paramref name="name"/>, created on first use.</summary>
    public YText GetText(string name = "") => (YText)Get(name, typeof(YText), static () => new YText());

    /// <summary>The root map <paramref name="name"/>, created on first use.</summary>
    public YMap GetMap(string name = "") => (YMap)Get(name, typeof(YMap), static () => new YMap());

    /// <summary>The root XML element <paramref name="name"/>, created on first use.</summary>
    public YXmlElement GetXmlElement(string name = "") => (YXmlElement)Get(name, typeof(YXmlElement), static () => new YXmlElement());

    /// <summary>The root XML fragment <paramref name="name"/>, created on first use.</summary>
    public YXmlFragment GetXmlFragment(string name = "") => (YXmlFragment)Get(name, typeof(YXmlFragment), static () => new YXmlFragment());

    /// <summary>
    /// The root type <paramref name="name"/> without choosing its kind: an existing type, or a
    /// placeholder that a later typed Get turns into the requested kind (used for remote updates).
    /// </summary>
    internal AbstractType Get(string name) => Get(name, null, static () => new AbstractType());

    private AbstractType Get(string name, Type? typeConstructor, Func<AbstractType> create)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Share.TryGetValue(name, out var type))
        {
            type = create();
            Share.Add(name, type);
            type.Integrate(this, null);
        }
        if (typeConstructor is null || type.GetType() == typeConstructor)
        {
            return type;
        }
        if (type.GetType() != typeof(AbstractType))
        {
            throw new InvalidOperationException($"Type with the name {name} has already been defined with a different constructor");
        }
        // The placeholder was created by a remote update; move its content into the requested type.
        var t = create();
        t.Map = type.Map;
        foreach (var last in t.Map.Values)
        {
            for (var n = last; n is not null; n = n.Left)
            {
                n.Parent = t;
            }
        }
        t.Start = type.Start;
        for (var n = t.Start; n is not null; n = n.Right)
        {
            n.Parent = t;
        }
        t.InternalLength = type.InternalLength;
        Share[name] = t;
        t.Integrate(this, null);
        return t;
    }

    /// <summary>The key under which <paramref name="type"/> is a root type of its doc.</summary>
    internal static string FindRootTypeKey(AbstractType type)
    {
        foreach (var (key, value) in type.Doc!.Share)
        {
            if (value == type)
            {
                return key;
            }
        }
        throw new InvalidOperationException("The type is not a root type of its document.");
    }

    /// <summary>All root types as JSON-like values (prefer calling ToJson on the types themselves).</summary>
    public Dictionary<string, object?> ToJson()
    {
        var result = new Dictionary<string, object?>();
        foreach (var (key, value) in Share)
        {
            result[key] = value.ToJson();
        }
        return result;
    }

    /// <summary>
    /// Destroys the doc and its subdocuments. A destroyed subdocument is replaced in its parent by a
    /// fresh, unloaded doc with the same guid.
    /// </summary>
    public void Destroy()
    {
        IsDestroyed = true;
        foreach (var subdoc in Subdocs.ToArray())
        {
            subdoc.Destroy();
        }
        var item = Item;
        if (item is not null)
        {
            Item = null;
            // The item may have been collected already (then its content is a placeholder, as in Yjs).
            var content = item.Content as ContentDoc;
            var replacement = ContentDoc.CreateDocFromOpts(Guid, content?.Opts ?? new Dictionary<string, object?>(), shouldLoad: false);
            if (content is not null)
            {
                content.Doc = replacement;
            }
            replacement.Item = item;
            Core.Transaction.Transact(item.Parent!.Doc!, transaction =>
            {
                if (!item.Deleted)
                {
                    transaction.SubdocsAdded.Add(replacement);
                }
                transaction.SubdocsRemoved.Add(this);
            }, null, true);
        }
        Destroyed?.Invoke(this, EventArgs.Empty);
        // Like Yjs, a destroyed doc forgets its listeners.
        Update = null;
        UpdateV2 = null;
        BeforeAllTransactions = null;
        BeforeTransaction = null;
        BeforeObserverCalls = null;
        AfterTransaction = null;
        AfterTransactionCleanup = null;
        AfterAllTransactions = null;
        SubdocsChanged = null;
        Destroyed = null;
    }

    internal void EmitBeforeAllTransactions() => BeforeAllTransactions?.Invoke(this, EventArgs.Empty);

    internal void EmitBeforeTransaction(Transaction transaction) =>
        BeforeTransaction?.Invoke(this, new TransactionEventArgs(transaction));

    internal void EmitBeforeObserverCalls(Transaction transaction) =>
        BeforeObserverCalls?.Invoke(this, new TransactionEventArgs(transaction));

    internal void EmitAfterTransaction(Transaction transaction) =>
        AfterTransaction?.Invoke(this, new TransactionEventArgs(transaction));

    internal void EmitAfterTransactionCleanup(Transaction transaction) =>
        AfterTransactionCleanup?.Invoke(this, new TransactionEventArgs(transaction));

    internal void EmitAfterAllTransactions(IReadOnlyList<Transaction> transactions) =>
        AfterAllTransactions?.Invoke(this, new AfterAllTransactionsEventArgs(transactions));

    internal void EmitUpdate(byte[] update, Transaction transaction) =>
        Update?.Invoke(this, new UpdateEventArgs(update, transaction.Origin, transaction));

    internal void EmitUpdateV2(byte[] update, Transaction transaction) =>
        UpdateV2?.Invoke(this, new UpdateEventArgs(update, transaction.Origin, transaction));

    internal void EmitSubdocsChanged(SubdocsEventArgs args) => SubdocsChanged?.Invoke(this, args);
}
