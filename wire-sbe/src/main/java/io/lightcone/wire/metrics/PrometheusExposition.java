package io.lightcone.wire.metrics;

import org.agrona.concurrent.status.CountersReader;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Renders the Lightcone metrics found in counters readers as the Prometheus text exposition format (version 0.0.4):
 * one {@code # HELP} and {@code # TYPE} line per family, in catalog order, then its samples in allocation order, with
 * histogram buckets made cumulative. Counters of other type ids are ignored. Rendering allocates; it runs on a scrape,
 * never on a hot path.
 */
public final class PrometheusExposition
{
    /**
     * The content type of the page.
     */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusExposition()
    {
    }

    /**
     * Renders the metrics of every reader.
     *
     * @param readers where the counters are; a family present in several readers is printed once with all samples.
     * @return the page.
     */
    public static String render(final CountersReader... readers)
    {
        final Map<MetricFamily, List<Sample>> samples = new EnumMap<>(MetricFamily.class);
        for (final CountersReader reader : readers)
        {
            reader.forEach((counterId, typeId, key, label) ->
            {
                if (Metrics.METRIC_TYPE_ID != typeId)
                {
                    return;
                }
                final MetricFamily family = MetricFamily.get(key.getInt(Metrics.FAMILY_KEY_OFFSET));
                final MetricRole role = MetricRole.get(key.getInt(Metrics.ROLE_KEY_OFFSET));
                if (null != family && null != role)
                {
                    samples.computeIfAbsent(family, (f) -> new ArrayList<>())
                        .add(new Sample(label, role, reader.getCounterValue(counterId)));
                }
            });
        }

        final StringBuilder out = new StringBuilder(4096);
        for (final Map.Entry<MetricFamily, List<Sample>> entry : samples.entrySet())
        {
            final MetricFamily family = entry.getKey();
            out.append("# HELP ").append(family.metricName()).append(' ').append(family.help()).append('\n');
            out.append("# TYPE ").append(family.metricName()).append(' ').append(family.type().text()).append('\n');
            long cumulative = 0;
            for (final Sample sample : entry.getValue())
            {
                out.append(sample.name).append(' ');
                switch (sample.role)
                {
                    case BUCKET:
                        cumulative += sample.value;
                        out.append(cumulative);
                        break;

                    case MICROS:
                    case SUM_MICROS:
                        cumulative = 0;
                        out.append(Metrics.format(sample.value, true));
                        break;

                    default:
                        cumulative = 0;
                        out.append(sample.value);
                        break;
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private record Sample(String name, MetricRole role, long value)
    {
    }
}
