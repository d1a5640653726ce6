using Poppy.Sdk.Cli;

return await PoppyCli.RunAsync(args, Console.Out, Console.Error, Console.In);
