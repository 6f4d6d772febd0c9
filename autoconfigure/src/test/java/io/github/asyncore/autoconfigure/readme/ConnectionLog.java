package io.github.asyncore.autoconfigure.readme;

import io.github.asyncore.boot.event.ChannelClosedEvent;
import io.github.asyncore.boot.event.ChannelOpenedEvent;
import io.github.asyncore.core.ChannelSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

@Component
public class ConnectionLog {

    private static final Logger logger = LoggerFactory.getLogger(ConnectionLog.class);

    @EventListener
    public void opened(ChannelOpenedEvent event) {
        logger.info("{} opened ({})", event.getChannel().name(), event.getChannel().kind());
    }

    @EventListener
    public void closed(ChannelClosedEvent event) {
        ChannelSnapshot channel = event.getChannel();
        logger.info("{} closed by {}: {} bytes in, {} out", channel.name(), event.getReason(),
                channel.bytesRead(), channel.bytesWritten());
    }

}
