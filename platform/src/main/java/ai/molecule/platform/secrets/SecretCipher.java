package ai.molecule.platform.secrets;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * AES-256-GCM as upstream stores it: {@code nonce(12) ‖ ciphertext ‖ tag(16)}, marked
 * encryption_version 1. Version 0 rows (written raw by an upstream without a key) still read.
 */
public final class SecretCipher {
    public static final int VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    public SecretCipher(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("secrets key must be 32 bytes");
        this.key = new SecretKeySpec(key, "AES");
    }

    public byte[] encrypt(String plaintext) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] sealed = c.doFinal(plaintext.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Decrypts a stored value; throws {@link DecryptException} on a wrong key or tampering. */
    public String decrypt(byte[] stored, int version) {
        if (version == 0) return new String(stored, java.nio.charset.StandardCharsets.UTF_8);
        if (version != VERSION || stored.length < NONCE + 16) throw new DecryptException();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE));
            return new String(c.doFinal(stored, NONCE, stored.length - NONCE), java.nio.charset.StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new DecryptException();
        }
    }

    public static final class DecryptException extends RuntimeException {
        DecryptException() {
            super("secret failed to decrypt", null, false, false);
        }
    }
}
