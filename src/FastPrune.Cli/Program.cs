using FastPrune.Cli;

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl-C asks the running command to stop cleanly (it writes its checkpoint); a second one kills.
    if (!cts.IsCancellationRequested)
    {
        e.Cancel = true;
        cts.Cancel();
    }
};
return CliApp.Run(args, Console.Out, Console.Error, cts.Token);
