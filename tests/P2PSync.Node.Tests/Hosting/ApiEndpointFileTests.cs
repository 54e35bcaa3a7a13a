using P2PSync.Node.Hosting;
using P2PSync.Node.Tests.Support;

namespace P2PSync.Node.Tests.Hosting;

public sealed class ApiEndpointFileTests
{
    [Fact]
    public void WriteThenRead_ForALiveProcess()
    {
        using var dir = new TempDirectory();

        ApiEndpointFile.Write(dir.Path, new Uri("http://127.0.0.1:1234/"), Environment.ProcessId);

        Assert.Equal(new ApiEndpoint("http://127.0.0.1:1234/", Environment.ProcessId), ApiEndpointFile.ReadLive(dir.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"url\":\"not a url\",\"pid\":1}")]
    [InlineData("[1,2]")]
    [InlineData("{\"url\":\"http://127.0.0.1:1/\",\"pid\":2147483647}")]
    public void BadOrStaleFiles_ReadAsNoNode(string content)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(ApiEndpointFile.PathIn(dir.Path), content);

        Assert.Null(ApiEndpointFile.ReadLive(dir.Path));
    }

    [Fact]
    public void Remove_OnlyRemovesItsOwnFile()
    {
        using var dir = new TempDirectory();
        ApiEndpointFile.Write(dir.Path, new Uri("http://127.0.0.1:1234/"), Environment.ProcessId);

        ApiEndpointFile.Remove(dir.Path, Environment.ProcessId + 1);
        Assert.True(File.Exists(ApiEndpointFile.PathIn(dir.Path)));

        ApiEndpointFile.Remove(dir.Path, Environment.ProcessId);
        Assert.False(File.Exists(ApiEndpointFile.PathIn(dir.Path)));
    }
}
