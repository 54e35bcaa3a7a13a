using P2PSync.Node.Cli;
using P2PSync.Node.Hosting;

// Socket completions run on the I/O thread instead of hopping to the thread pool: the node's
// receive paths never block (store commits run on their own task), so a relayed keystroke saves
// a thread wake-up per hop. The runtime reads this once, at the process's first socket, hence
// here before anything else; a value the user set (e.g. 0) wins. Only the real process does
// this: tests that run the CLI in their own process keep the runtime's default.
const string inlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(inlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(inlineSocketCompletions, "1");
}

return await CliApplication.RunAsync(args, NodeEnvironment.FromProcess(), Console.Out, Console.Error);
