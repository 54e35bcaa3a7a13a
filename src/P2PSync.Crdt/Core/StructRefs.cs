using P2PSync.Crdt.Structs;

namespace P2PSync.Crdt.Core;

/// <summary>The decoded structs of one client in an update and how many of them were consumed.</summary>
internal sealed class StructRefs
{
    public StructRefs(List<AbstractStruct> refs)
    {
        Refs = refs;
    }

    /// <summary>Index of the next struct to integrate.</summary>
    public int I { get; set; }

    public List<AbstractStruct> Refs { get; set; }
}
