package dev.mailgateway.spool;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.util.ArrayList;
import java.util.List;

/**
 * A question to the broker itself that is answered with any number of messages on a reply queue and no end marker
 * (the scheduler's BROWSE, the statistics plugin): sent with a temporary queue as its reply-to, its answers read
 * until none has come for a while.
 */
final class BrokerQuestion {

    /** What the question carries besides its reply-to (a scheduler action, say). */
    interface Setup {
        void prepare(Message question) throws JMSException;
    }

    private BrokerQuestion() {
    }

    /**
     * Sends one question to each of {@code to} and collects every answer: the first within {@code firstMillis},
     * each next one within {@code quietMillis} of the one before.
     */
    static List<Message> ask(Session session, List<? extends Destination> to, Setup setup, long firstMillis,
            long quietMillis) throws JMSException {
        Destination replies = session.createTemporaryQueue(); // removed with the connection
        List<Message> answers = new ArrayList<>();
        try (MessageConsumer consumer = session.createConsumer(replies);
                MessageProducer producer = session.createProducer(null)) {
            for (Destination destination : to) {
                Message question = session.createMessage();
                setup.prepare(question);
                question.setJMSReplyTo(replies);
                producer.send(destination, question);
            }
            for (Message m = consumer.receive(firstMillis); m != null; m = consumer.receive(quietMillis)) {
                answers.add(m);
            }
        }
        return answers;
    }
}
