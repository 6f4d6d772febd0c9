package io.github.asyncore.autoconfigure.readme;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import io.github.asyncore.core.AsyncChat;
import io.github.asyncore.core.ChannelGroup;

public class RoomMember extends AsyncChat {

    private final ChannelGroup<RoomMember> room;

    public RoomMember(SocketChannel channel, ChannelGroup<RoomMember> room) throws IOException {
        super(channel);
        this.room = room;
        setTerminator("\n");
    }

    @Override
    public void foundTerminator() {
        byte[] line = takeData();
        byte[] withNewline = Arrays.copyOf(line, line.length + 1);
        withNewline[line.length] = '\n';
        this.room.broadcast(withNewline, (member) -> member != this); // copied once for all members
    }

}
