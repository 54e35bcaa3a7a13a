using P2PSync.Node.Security.Spaces;

namespace P2PSync.Node.Tests.Security.Spaces;

/// <summary>Everything observable about a directory (spaces, logs, held key epochs), comparable by value.</summary>
internal sealed record DirectorySnapshot(string Text)
{
    public static DirectorySnapshot Of(SpaceDirectory directory) => new(string.Join(
        " | ",
        directory.All.Select(space =>
            $"{space.Id} {space.Name} {space.Personal} {LogSnapshot.Of(space.Log)} keys={string.Join(",", space.Keys.Epochs)}")));
}
