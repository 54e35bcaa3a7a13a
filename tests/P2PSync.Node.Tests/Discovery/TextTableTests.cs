using P2PSync.Node.Cli;

namespace P2PSync.Node.Tests.Discovery;

public sealed class TextTableTests
{
    [Fact]
    public async Task Columns_AreAsWideAsTheirLongestCell_AndLinesCarryNoTrailingSpace()
    {
        var table = new TextTable("NAME", "TRUSTED");
        table.Add("a very long name", "yes");
        table.Add("b", "no");
        var output = new StringWriter();

        await table.WriteAsync(output);

        Assert.Equal(
            ["NAME              TRUSTED", "a very long name  yes", "b                 no"],
            output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ARowOfTheWrongWidth_IsRefused_AndTheTableIsUnchanged()
    {
        var table = new TextTable("A", "B");
        table.Add("1", "2");

        Assert.Throws<ArgumentException>(() => table.Add("only one"));
        Assert.Throws<ArgumentException>(() => table.Add("1", "2", "3"));
        var output = new StringWriter();
        await table.WriteAsync(output);
        Assert.Equal(2, output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
