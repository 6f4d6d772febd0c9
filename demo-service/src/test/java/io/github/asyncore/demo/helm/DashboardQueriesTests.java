package io.github.asyncore.demo.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The metric-name extraction that {@link DashboardMetricsTests} relies on: it must find every metric a
 * PromQL query selects and nothing else (no functions, keywords, labels, variables or numbers).
 */
class DashboardQueriesTests {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            up                                                                            | up
            asyncore_channels{namespace=~"$namespace", pod=~"$pod"}                        | asyncore_channels
            sum by (pod, loop) (rate(asyncore_handler_duration_seconds_count{pod=~"$pod"}[$__rate_interval])) | asyncore_handler_duration_seconds_count
            sum(rate(a_total[5m])) by (dispatcher) / clamp_min(sum(rate(b_total[5m])) without (x), 1e-9) | a_total b_total
            max(x_bytes) - on (pod) group_left (loop) y_bytes offset 5m                    | x_bytes y_bytes
            histogram_quantile(0.99, sum by (le) (irate(h_seconds_bucket{a="sum(b)"}[1m]))) | h_seconds_bucket
            increase(c_total[$__range]) or vector(0)                                       | c_total
            -sum by (d) (rate(w_total{id="direct", x!~"by.on"}[1h:5m])) > bool 0           | w_total
            avg_over_time(g{area="heap"}[${__interval}]) and ignoring (id) k unless l      | g k l
            {__name__="ignored_because_not_a_selector_name"}                               |
            """)
    void findsTheMetricNamesOfAQuery(String expression, String names) {
        String[] expected = (names == null) ? new String[0] : names.split(" ");
        assertThat(Dashboard.metricNames(expression)).containsExactly(expected);
    }

    @Test
    void readsTheSelectorOfALabelValuesVariable() {
        assertThat(Dashboard.metricNames(Dashboard.read())).contains("asyncore_channels");
        assertThat(Dashboard.variableQueries(Dashboard.read())).contains("asyncore_channels",
                "asyncore_channels{namespace=~\"$namespace\"}");
    }

    @Test
    void readsTheExpositionsSampleNames() {
        String exposition = """
                # HELP asyncore_channels Live asyncore channels
                # TYPE asyncore_channels gauge
                asyncore_channels{dispatcher="echoServer",kind="listener"} 1.0
                asyncore_loop_busy 0.25
                asyncore_handler_duration_seconds_count{loop="asyncore-0"} 3
                """;
        assertThat(DashboardMetricsTests.sampleNames(exposition)).containsExactlyInAnyOrder("asyncore_channels",
                "asyncore_loop_busy", "asyncore_handler_duration_seconds_count");
    }

}
