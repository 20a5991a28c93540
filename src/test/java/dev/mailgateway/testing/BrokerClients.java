package dev.mailgateway.testing;

import jakarta.jms.Connection;
import jakarta.jms.Session;
import java.net.URI;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.command.ActiveMQQueue;

/** An outsider's OpenWire client of a broker, with whatever credentials it claims, for the broker's tests. */
public final class BrokerClients {

    private BrokerClients() {
    }

    public static ActiveMQConnectionFactory client(String url, String user, String password) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        factory.setUserName(user);
        factory.setPassword(password);
        factory.setConnectResponseTimeout(30_000);
        factory.setWatchTopicAdvisories(false);
        return factory;
    }

    public static ActiveMQConnectionFactory client(URI broker, String user, String password) {
        return client(broker.toString(), user, password);
    }

    public static void send(ActiveMQConnectionFactory factory, String queue, String text) throws Exception {
        try (Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            session.createProducer(new ActiveMQQueue(queue)).send(session.createTextMessage(text));
        }
    }
}
