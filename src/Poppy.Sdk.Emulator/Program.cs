using Poppy.Sdk.Emulator;

if (!EmulatorCommandLine.TryParse(args, out var options, out var error))
{
    if (error is null)
    {
        Console.WriteLine(EmulatorCommandLine.Usage);
        return 0;
    }

    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(EmulatorCommandLine.Usage);
    return 2;
}

await using var emulator = await CdnEmulator.StartAsync(options);
foreach (var line in emulator.DescribeVendors())
{
    Console.WriteLine(line);
}

Console.Out.Flush();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}

return 0;
