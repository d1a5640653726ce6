using Poppy.Sdk.Cli;

return await PoppyCli.RunAsync(args, Console.In, Console.Out, Console.Error);
