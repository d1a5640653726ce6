using Poppy.Sdk.Emulator;

// The standalone emulator; also the entry point of the poppy-emulator tool (src/Poppy.Sdk.Emulator.Tool links this file).
using var stop = new CancellationTokenSource();
void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
{
    e.Cancel = true;
    stop.Cancel();
}

void OnProcessExit(object? sender, EventArgs e) => stop.Cancel();

Console.CancelKeyPress += OnCancelKeyPress;
AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
try
{
    return await EmulatorCommandLine.RunAsync(args, Console.Out, Console.Error, stop.Token);
}
finally
{
    // Unhooked before the source is disposed: ProcessExit is raised again when the process ends.
    Console.CancelKeyPress -= OnCancelKeyPress;
    AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
}
