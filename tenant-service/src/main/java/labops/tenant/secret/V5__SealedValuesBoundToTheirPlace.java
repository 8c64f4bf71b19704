package labops.tenant.secret;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.springframework.stereotype.Component;

/**
 * Re-seals every value sealed before values were bound to their place (their additional data was the key id only),
 * under the active key and bound to its row. A Java migration because SQL cannot decrypt: it runs once, under
 * Flyway's lock, so two instances starting together do not both do it, and from then on nothing opens a value that is
 * not bound to the row it is read from.
 */
@Component
class V5__SealedValuesBoundToTheirPlace extends BaseJavaMigration {

    private final SecretBox box;

    V5__SealedValuesBoundToTheirPlace(SecretBox box) {
        this.box = box;
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection db = context.getConnection();
        try (var rows = db.createStatement().executeQuery(
                "select id, tenant_id, environment, direction, kind, key_id, ciphertext from connection_secret");
             var update = db.prepareStatement("update connection_secret set key_id = ?, ciphertext = ? where id = ?")) {
            while (rows.next()) {
                UUID id = rows.getObject("id", UUID.class);
                reseal(update, rows.getString("key_id"), rows.getString("ciphertext"), SealedPlaces.connectionSecret(
                        id, rows.getString("tenant_id"), rows.getString("environment"), rows.getString("direction"),
                        rows.getString("kind")), id);
            }
            update.executeBatch();
        }
        try (var rows = db.createStatement().executeQuery("select kid, key_id, ciphertext from token_signing_key");
             var update = db.prepareStatement("update token_signing_key set key_id = ?, ciphertext = ? where kid = ?")) {
            while (rows.next()) {
                String kid = rows.getString("kid");
                reseal(update, rows.getString("key_id"), rows.getString("ciphertext"), SealedPlaces.tokenSigningKey(kid),
                        kid);
            }
            update.executeBatch();
        }
    }

    private void reseal(PreparedStatement update, String keyId, String ciphertext, String place, Object row)
            throws SQLException {
        var sealed = new SecretBox.Sealed(keyId, ciphertext);
        String value;
        try {
            value = box.open(sealed, SecretBox.keyIdOnly(keyId));
        } catch (IllegalStateException alreadyBound) {
            box.open(sealed, place); // bound already (the migration is safe to run again); anything else fails here
            return;
        }
        SecretBox.Sealed bound = box.seal(value, place);
        update.setString(1, bound.keyId());
        update.setString(2, bound.ciphertext());
        update.setObject(3, row);
        update.addBatch();
    }
}
