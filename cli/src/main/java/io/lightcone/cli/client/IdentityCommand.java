package io.lightcone.cli.client;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lightcone identity show|new}: the identity the client commands act as, kept in the config file.
 */
@Command(name = "identity", mixinStandardHelpOptions = true,
    description = "Show or replace the identity the client commands act as (kept in the config file).",
    subcommands = { IdentityCommand.Show.class, IdentityCommand.New.class })
public final class IdentityCommand
{
    /**
     * A command object for picocli.
     */
    public IdentityCommand()
    {
    }

    /**
     * {@code lightcone identity show}: the config's identity (minted on first use).
     */
    @Command(name = "show", mixinStandardHelpOptions = true,
        description = {
            "Print your identity, the config file it is kept in and, with --token, its token. Mints one on first "
                + "use (asks the server).",
            "Exit codes: 0 ok, 3 cannot reach the server (first use only), 1 other."
        })
    public static final class Show extends ClientCommand
    {
        @Option(names = "--token", description = "Also print the token (a secret: it lets anyone act as you).")
        boolean token;

        /**
         * A command object for picocli.
         */
        public Show()
        {
        }

        @Override
        int run(final ServerConnection server)
        {
            final String jwt = server.token();
            out.println("identity: " + server.config().get(CliConfig.IDENTITY_KEY));
            if (token)
            {
                out.println("token: " + jwt);
            }
            out.println("config: " + server.config().path());
            return ExitCodes.OK;
        }
    }

    /**
     * {@code lightcone identity new}: mints a fresh identity and saves it, replacing the old one.
     */
    @Command(name = "new", mixinStandardHelpOptions = true,
        description = {
            "Mint a fresh identity on the server and save it in the config file, replacing the old one (databases "
                + "the old identity owns stay its own).",
            "Exit codes: 0 ok, 3 cannot reach the server, 1 other."
        })
    public static final class New extends ClientCommand
    {
        /**
         * A command object for picocli.
         */
        public New()
        {
        }

        @Override
        int run(final ServerConnection server)
        {
            final String old = server.config().get(CliConfig.IDENTITY_KEY);
            final String identity = server.mintIdentity();
            if (null != old)
            {
                err.println("replaced identity " + old + " in " + server.config().path());
            }
            out.println("identity: " + identity);
            out.println("config: " + server.config().path());
            return ExitCodes.OK;
        }
    }
}
