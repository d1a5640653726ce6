using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Poppy.Sdk.Testing;

namespace Poppy.Sdk.Tests;

public sealed class DependencyInjectionTests
{
    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    private static ServiceProvider Build(Action<IServiceCollection> configure)
    {
        var services = new ServiceCollection();
        configure(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void AddPoppy_FromConfiguration_BindsFlavorsAndResolvesClient()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Mode", "Mirror"),
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:Flavors:global:Providers:1", "two"),
                ("Poppy:CircuitBreaker:BreakDuration", "00:01:00")))
            .AddInMemoryProvider("one")
            .AddInMemoryProvider("two"));

        sp.GetRequiredService<IStartupValidator>().Validate();
        var client = sp.GetRequiredService<PoppyClient>();

        Assert.Equal(["one", "two"], client.ProviderNames.Order());
        var options = sp.GetRequiredService<IOptions<PoppyClientOptions>>().Value;
        Assert.Equal(TimeSpan.FromMinutes(1), options.CircuitBreaker.BreakDuration);
        Assert.Equal(["one", "two"], options.Flavors["global"].Providers);
    }

    [Fact]
    public void AddPoppy_FlavorNamesUnregisteredProvider_FailsAtStartWithClearMessage()
    {
        using var sp = Build(s => s.AddPoppy(o => o.AddFlavor("global", FlavorMode.Mirror, "fastly")).AddInMemoryProvider("one"));

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Poppy:Flavors:global:Providers:0: provider 'fastly' is not registered (registered: one)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_UnknownConfigurationKey_FailsAtStart()
    {
        using var sp = Build(s => s.AddPoppy(Config(
                ("Poppy:Flavors:global:Providers:0", "one"),
                ("Poppy:Flavours:typo", "x")))
            .AddInMemoryProvider("one"));

        var ex = Assert.ThrowsAny<InvalidOperationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("Flavours", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_NoFlavor_FailsAtStart()
    {
        using var sp = Build(s => s.AddPoppy().AddInMemoryProvider("one"));

        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains("no flavor is configured", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddPoppy_CalledTwice_RegistersOnce()
    {
        using var sp = Build(s =>
        {
            s.AddPoppy(o => o.AddFlavor("f", FlavorMode.Failover, "one")).AddInMemoryProvider("one");
            s.AddPoppy().AddInMemoryProvider("one");
        });

        sp.GetRequiredService<IStartupValidator>().Validate();
        Assert.Single(sp.GetServices<PoppyClient>());
        Assert.Single(sp.GetServices<CdnProviderRegistration>());
    }

    [Fact]
    public void AddProvider_BadName_Throws()
    {
        var services = new ServiceCollection();

        Assert.Throws<ArgumentException>(() => services.AddPoppy().AddProvider("bad name", _ => null!));
    }
}
