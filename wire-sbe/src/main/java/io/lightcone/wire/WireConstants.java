package io.lightcone.wire;

import io.lightcone.wire.sbe.FragmentEncoder;
import io.lightcone.wire.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Constants of the Lightcone wire (schema {@code lightcone-wire.xml}).
 * <p>
 * <b>Version family rule.</b> A schema id is one version family. Inside a family every change is additive: fields
 * appended to a block or a group entry with {@code sinceVersion}, var-data appended after the existing var-data with
 * {@code sinceVersion}, new messages under new template ids, new enum values (decoded as {@code SBE_UNKNOWN} by older
 * receivers). A receiver therefore accepts any message whose header carries {@link #SCHEMA_ID} and a version
 * {@code >=} {@link #MIN_SUPPORTED_VERSION}, decodes it with the header's {@code blockLength} and version (so fields
 * it does not know are skipped and fields an older sender did not have read as null values), and counts and drops
 * templates it does not know. A newer edge can thus talk to an older core and the other way round. Anything that is
 * not additive (reorder, retype, remove, change meaning) needs a new schema id, i.e. a new family; receivers count
 * and drop messages of other families.
 * <p>
 * <b>Chunking rule.</b> No message on the wire is longer than the effective maximum message length: the configured
 * {@link WireConfiguration#MAX_MESSAGE_LENGTH_PROP_NAME} capped by the publication's {@code maxPayloadLength()}, so
 * that every send is a single {@code tryClaim} and Aeron never fragments. A longer message is encoded whole into the
 * proxy's scratch buffer and sent as consecutive {@code Fragment} envelopes (template {@link #FRAGMENT_TEMPLATE_ID})
 * that carry a message sequence, a fragment index from 0, the inner message's total length and template id, and a last
 * flag. The adapter reassembles per Aeron session into a bounded buffer and then decodes the inner message exactly as
 * if it had arrived whole. Nothing is ever truncated: a message longer than the maximum reassembly length is refused by
 * the proxy ({@link AbstractWireProxy#MESSAGE_TOO_LONG}) and, if one arrives anyway, counted and dropped by the
 * adapter.
 */
public final class WireConstants
{
    /**
     * The schema id of the current version family.
     */
    public static final int SCHEMA_ID = MessageHeaderEncoder.SCHEMA_ID;

    /**
     * The schema version this code was generated from.
     */
    public static final int SCHEMA_VERSION = MessageHeaderEncoder.SCHEMA_VERSION;

    /**
     * The oldest header version accepted by the adapters.
     */
    public static final int MIN_SUPPORTED_VERSION = 1;

    /**
     * Template id of the fragment envelope.
     */
    public static final int FRAGMENT_TEMPLATE_ID = FragmentEncoder.TEMPLATE_ID;

    /**
     * Bytes of a fragment envelope around its payload: message header, block and var-data length.
     */
    public static final int FRAGMENT_OVERHEAD =
        MessageHeaderEncoder.ENCODED_LENGTH + FragmentEncoder.BLOCK_LENGTH + FragmentEncoder.payloadHeaderLength();

    /**
     * Length in bytes of an Identity (a u256) on the wire.
     */
    public static final int IDENTITY_LENGTH = 32;

    /**
     * The smallest maximum message length accepted by the configuration.
     */
    public static final int MIN_MAX_MESSAGE_LENGTH = 256;

    /**
     * An empty buffer for absent var-data.
     */
    public static final DirectBuffer EMPTY_BUFFER = new UnsafeBuffer(new byte[0]);

    private WireConstants()
    {
    }
}
