using P2PSync.Crdt.Core;
using P2PSync.Crdt.Types;

namespace P2PSync.Crdt.Tests.Types;

public sealed class ListDeleteRangeTests
{
    [Fact]
    public void DeletingPastTheEndThrowsAndChangesNothing()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var array = doc.GetArray("a");
        array.Push(new object?[] { 1L, 2L, 3L, 4L, 5L });
        var updates = 0;
        doc.Update += (_, _) => updates++;
        var before = Y.EncodeStateAsUpdate(doc);

        Assert.Throws<ArgumentOutOfRangeException>(() => array.Delete(0, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => array.Delete(4, 2));

        Assert.Equal(before, Y.EncodeStateAsUpdate(doc));
        Assert.Equal(5, array.Length);
        Assert.Equal(0, updates);
        array.Delete(3, 2);
        Assert.Equal(new object?[] { 1L, 2L, 3L }, array.ToArray());
    }

    [Fact]
    public void XmlFragmentRefusesTheSameWay()
    {
        var doc = new Doc(new DocOptions { ClientId = 1 });
        var fragment = doc.GetXmlFragment("x");
        fragment.Insert(0, new YXmlElement[] { new("p"), new("p") });
        var before = Y.EncodeStateAsUpdate(doc);

        Assert.Throws<ArgumentOutOfRangeException>(() => fragment.Delete(1, 2));

        Assert.Equal(before, Y.EncodeStateAsUpdate(doc));
        Assert.Equal(2, fragment.Length);
    }
}
