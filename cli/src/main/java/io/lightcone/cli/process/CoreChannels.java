package io.lightcone.cli.process;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The Aeron UDP channels between a core and its edges, from a channel URI or a {@code HOST:PORT} shorthand:
 * <ul>
 *   <li>core ingress (the core subscribes, every edge publishes): {@code aeron:udp?endpoint=HOST:PORT};</li>
 *   <li>core egress (the core publishes once, multi-destination-cast with dynamic control, each edge subscribes):
 *       {@code aeron:udp?control=HOST:PORT|control-mode=dynamic} on the core, and
 *       {@code aeron:udp?endpoint=BIND:0|control=HOST:PORT|control-mode=dynamic} on an edge.</li>
 * </ul>
 */
public final class CoreChannels
{
    /** Default core ingress address. */
    public static final String DEFAULT_INGRESS = "127.0.0.1:40100";
    /** Default core egress control address. */
    public static final String DEFAULT_EGRESS = "127.0.0.1:40101";

    private CoreChannels()
    {
    }

    /**
     * @param value a channel or {@code HOST:PORT}.
     * @return the core's ingress subscription channel.
     */
    public static String coreIngress(final String value)
    {
        return isChannel(value) ? value : "aeron:udp?endpoint=" + hostPort(value);
    }

    /**
     * @param value a channel or {@code HOST:PORT} of the control address.
     * @return the core's egress publication channel.
     */
    public static String coreEgress(final String value)
    {
        return isChannel(value) ? value : "aeron:udp?control=" + hostPort(value) + "|control-mode=dynamic";
    }

    /**
     * @param value a channel or the core's egress control {@code HOST:PORT}.
     * @param bind  the edge's local address to receive on (port 0: any free port).
     * @return the edge's egress subscription channel.
     */
    public static String edgeEgress(final String value, final String bind)
    {
        return isChannel(value) ? value :
            "aeron:udp?endpoint=" + bind + ":0|control=" + hostPort(value) + "|control-mode=dynamic";
    }

    /**
     * @param address {@code HOST:PORT}.
     * @return the same address with the port plus one (the egress control address next to an ingress address).
     */
    public static String nextPort(final String address)
    {
        if (isChannel(address))
        {
            throw new IllegalArgumentException("cannot derive an address from channel " + address);
        }
        final String hostPort = hostPort(address);
        final int colon = hostPort.lastIndexOf(':');
        return hostPort.substring(0, colon + 1) + (Integer.parseInt(hostPort.substring(colon + 1)) + 1);
    }

    /**
     * The local address an edge receives the core's egress on: loopback when the core is on this machine's
     * loopback, else every interface.
     *
     * @param coreAddress the core's {@code HOST:PORT}.
     * @return an address to bind.
     */
    public static String defaultBind(final String coreAddress)
    {
        final String host = hostPort(coreAddress).substring(0, hostPort(coreAddress).lastIndexOf(':'));
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress() ? "127.0.0.1" : "0.0.0.0";
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("unknown host " + host, ex);
        }
    }

    private static boolean isChannel(final String value)
    {
        return value.startsWith("aeron:");
    }

    private static String hostPort(final String value)
    {
        final int colon = value.lastIndexOf(':');
        if (colon <= 0 || !value.substring(colon + 1).matches("\\d{1,5}") ||
            Integer.parseInt(value.substring(colon + 1)) > 65535)
        {
            throw new IllegalArgumentException("expected HOST:PORT or an aeron: channel, got " + value);
        }
        return value;
    }
}
