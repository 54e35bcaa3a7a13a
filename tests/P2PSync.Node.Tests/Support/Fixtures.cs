namespace P2PSync.Node.Tests.Support;

/// <summary>Update files made by the real yjs (see Fixtures/make-fixtures.mjs), read from the source tree.</summary>
internal static class Fixtures
{
    public static string Path(string name) =>
        System.IO.Path.Combine(RepoPaths.Root, "tests", "P2PSync.Node.Tests", "Fixtures", name);

    public static string Text(string name) => File.ReadAllText(Path(name)).TrimEnd('\n');
}
