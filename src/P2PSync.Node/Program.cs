using P2PSync.Node.Cli;
using P2PSync.Node.Hosting;

return await CliApplication.RunAsync(args, NodeEnvironment.FromProcess(), Console.Out, Console.Error);
