package io.github.asyncore.autoconfigure.clientguide;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.asyncore.core.AsyncChat;

import org.springframework.stereotype.Component;

@Component
public class PriceClient extends AsyncChat {

    private final Queue<String> prices = new ConcurrentLinkedQueue<>();

    public PriceClient() {
        setTerminator("\n");
    }

    @Override
    public void handleConnect() throws IOException {
        request("SUBSCRIBE EURUSD"); // runs again after every reconnection
    }

    @Override
    public void foundTerminator() {
        this.prices.add(new String(takeData(), StandardCharsets.US_ASCII));
    }

    /** Any thread. False while the connection is down: nothing is kept to send later. */
    public boolean request(String line) throws IOException {
        return push((line + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public Queue<String> prices() {
        return this.prices;
    }

}
