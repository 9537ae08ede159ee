package io.palabre.dashboard.access;

import static io.palabre.dashboard.repository.Jdbc.at;
import static io.palabre.dashboard.repository.Jdbc.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.agroal.api.AgroalDataSource;
import io.palabre.dashboard.repository.Jdbc;
import io.palabre.support.security.AccessToken;
import io.palabre.support.security.Role;

/**
 * Users, API tokens, web sessions and failed logins in the dashboard's database. Run inside the caller's
 * transaction.
 */
@ApplicationScoped
public class AccessStore {

    /** A user as stored. */
    public record User(String username, Role role, String passwordHash, Instant createdAt, String createdBy) {
    }

    /** A token as stored; {@code role} is the one it was made with, before its owner's role caps it. */
    public record Token(String id, String username, String name, Role role, String secretHash, Instant createdAt,
            String createdBy, Instant expiresAt, Instant revokedAt, String revokedBy, long version,
            long publishedVersion) {
    }

    private static final String USER_COLUMNS = "username, role, password_hash, created_at, created_by";
    private static final String COUNT_USERS = "select count(*) from app_user";
    private static final String COUNT_ADMINS = "select count(*) from app_user where role = 'admin'";
    private static final String FIND_USER = "select " + USER_COLUMNS + " from app_user where username = ?";
    private static final String LIST_USERS = "select " + USER_COLUMNS + " from app_user order by username";
    private static final String INSERT_USER = """
            insert into app_user (username, role, password_hash, created_by) values (?, ?, ?, ?)
            on conflict (username) do nothing""";
    private static final String UPDATE_ROLE = "update app_user set role = ?, updated_at = now() where username = ?";
    private static final String UPDATE_PASSWORD = """
            update app_user set password_hash = ?, updated_at = now() where username = ?""";
    private static final String DELETE_USER = "delete from app_user where username = ?";

    private static final String TOKEN_COLUMNS = "id, username, name, role, secret_hash, created_at, created_by, "
            + "expires_at, revoked_at, revoked_by, version, published_version";
    private static final String INSERT_TOKEN = """
            insert into api_token (id, username, name, role, secret_hash, created_at, created_by, expires_at)
            values (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String FIND_TOKEN = "select " + TOKEN_COLUMNS + " from api_token where id = ?";
    private static final String LIST_TOKENS = "select " + TOKEN_COLUMNS + " from api_token "
            + "where (?::text is null or username = ?) order by created_at desc, id limit ?";
    private static final String REVOKE_TOKEN = """
            update api_token set revoked_at = ?, revoked_by = ?, version = version + 1
            where id = ? and revoked_at is null""";
    private static final String REVOKE_TOKENS_OF = """
            update api_token set revoked_at = ?, revoked_by = ?, version = version + 1
            where username = ? and revoked_at is null""";
    private static final String TOUCH_TOKENS_OF = "update api_token set version = version + 1 where username = ?";
    private static final String REPUBLISH_ALL = "update api_token set published_version = 0";
    // The state every service checks: a token's role is capped by its owner's current role.
    private static final String UNPUBLISHED = """
            select t.id, t.username, t.name, t.role, u.role as user_role, t.secret_hash, t.created_at, t.expires_at,
                   t.revoked_at, t.version
            from api_token t left join app_user u on u.username = t.username
            where t.published_version < t.version order by t.id limit ?""";
    private static final String MARK_PUBLISHED = """
            update api_token set published_version = ? where id = ? and version = ?""";

    private static final String INSERT_SESSION = """
            insert into web_session (id_hash, username, csrf_token, expires_at) values (?, ?, ?, ?)""";
    private static final String FIND_SESSION = """
            select s.username, u.role, s.csrf_token from web_session s join app_user u on u.username = s.username
            where s.id_hash = ? and s.expires_at > now()""";
    private static final String DELETE_SESSION = "delete from web_session where id_hash = ?";
    private static final String DELETE_SESSIONS_OF = "delete from web_session where username = ?";
    private static final String DELETE_EXPIRED_SESSIONS = "delete from web_session where expires_at <= now()";

    private static final String INSERT_FAILURE = "insert into login_failure (username, address) values (?, ?)";
    private static final String FAILURES = """
            select count(*) filter (where username = ?), count(*) filter (where address = ?),
                   min(at) filter (where username = ?), min(at) filter (where address = ?)
            from login_failure where at > ? and (username = ? or address = ?)""";
    private static final String PURGE_FAILURES = "delete from login_failure where at < ?";

    private final AgroalDataSource db;

    public AccessStore(AgroalDataSource db) {
        this.db = db;
    }

    // Users

    public long countUsers() throws SQLException {
        return Jdbc.one(db, COUNT_USERS, Jdbc.Binder.NONE, rs -> rs.getLong(1)).orElse(0L);
    }

    public long countAdmins() throws SQLException {
        return Jdbc.one(db, COUNT_ADMINS, Jdbc.Binder.NONE, rs -> rs.getLong(1)).orElse(0L);
    }

    public Optional<User> findUser(String username) throws SQLException {
        return Jdbc.one(db, FIND_USER, ps -> ps.setString(1, username), AccessStore::user);
    }

    public List<User> users() throws SQLException {
        return Jdbc.query(db, LIST_USERS, Jdbc.Binder.NONE, AccessStore::user);
    }

    /** Adds a user; false if the name is taken. */
    public boolean insertUser(String username, Role role, String passwordHash, String createdBy) throws SQLException {
        return Jdbc.update(db, INSERT_USER, ps -> {
            ps.setString(1, username);
            ps.setString(2, role.id());
            ps.setString(3, passwordHash);
            ps.setString(4, createdBy);
        }) == 1;
    }

    public void updateRole(String username, Role role) throws SQLException {
        Jdbc.update(db, UPDATE_ROLE, ps -> {
            ps.setString(1, role.id());
            ps.setString(2, username);
        });
        // Its tokens' published states carry the role: publish them again.
        Jdbc.update(db, TOUCH_TOKENS_OF, ps -> ps.setString(1, username));
    }

    public void updatePassword(String username, String passwordHash) throws SQLException {
        Jdbc.update(db, UPDATE_PASSWORD, ps -> {
            ps.setString(1, passwordHash);
            ps.setString(2, username);
        });
    }

    public boolean deleteUser(String username) throws SQLException {
        return Jdbc.update(db, DELETE_USER, ps -> ps.setString(1, username)) == 1;
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("username"), Role.parse(rs.getString("role")).orElseThrow(),
                rs.getString("password_hash"), instant(rs, "created_at"), rs.getString("created_by"));
    }

    // Tokens

    public void insertToken(Token t) throws SQLException {
        Jdbc.update(db, INSERT_TOKEN, ps -> {
            ps.setString(1, t.id());
            ps.setString(2, t.username());
            ps.setString(3, t.name());
            ps.setString(4, t.role().id());
            ps.setString(5, t.secretHash());
            ps.setObject(6, at(t.createdAt()));
            ps.setString(7, t.createdBy());
            ps.setObject(8, at(t.expiresAt()));
        });
    }

    public Optional<Token> findToken(String id) throws SQLException {
        return Jdbc.one(db, FIND_TOKEN, ps -> ps.setString(1, id), AccessStore::token);
    }

    /** The newest tokens first, of one user or (null) of everyone. */
    public List<Token> tokens(String username, int limit) throws SQLException {
        return Jdbc.query(db, LIST_TOKENS, ps -> {
            if (username == null) {
                ps.setNull(1, Types.VARCHAR);
                ps.setNull(2, Types.VARCHAR);
            } else {
                ps.setString(1, username);
                ps.setString(2, username);
            }
            ps.setInt(3, limit);
        }, AccessStore::token);
    }

    /** Revokes a token; false if it was revoked already. */
    public boolean revokeToken(String id, String by, Instant when) throws SQLException {
        return Jdbc.update(db, REVOKE_TOKEN, ps -> {
            ps.setObject(1, at(when));
            ps.setString(2, by);
            ps.setString(3, id);
        }) == 1;
    }

    public int revokeTokensOf(String username, String by, Instant when) throws SQLException {
        return Jdbc.update(db, REVOKE_TOKENS_OF, ps -> {
            ps.setObject(1, at(when));
            ps.setString(2, by);
            ps.setString(3, username);
        });
    }

    /** Marks every token for publication again (at startup: the broker may have lost the topic). */
    public void republishAll() throws SQLException {
        Jdbc.update(db, REPUBLISH_ALL, Jdbc.Binder.NONE);
    }

    /** Token states the broker has not acknowledged yet, as every service checks them. */
    public List<AccessToken> unpublished(int limit) throws SQLException {
        return Jdbc.query(db, UNPUBLISHED, ps -> ps.setInt(1, limit), rs -> {
            Role role = Role.parse(rs.getString("role")).orElseThrow();
            Role owner = Role.parse(rs.getString("user_role")).orElse(role);
            return new AccessToken(rs.getString("id"), rs.getString("username"), rs.getString("name"),
                    Role.min(role, owner), rs.getString("secret_hash"), instant(rs, "created_at"),
                    instant(rs, "expires_at"), instant(rs, "revoked_at"), rs.getLong("version"));
        });
    }

    public void markPublished(String id, long version) throws SQLException {
        Jdbc.update(db, MARK_PUBLISHED, ps -> {
            ps.setLong(1, version);
            ps.setString(2, id);
            ps.setLong(3, version);
        });
    }

    private static Token token(ResultSet rs) throws SQLException {
        return new Token(rs.getString("id"), rs.getString("username"), rs.getString("name"),
                Role.parse(rs.getString("role")).orElseThrow(), rs.getString("secret_hash"),
                instant(rs, "created_at"), rs.getString("created_by"), instant(rs, "expires_at"),
                instant(rs, "revoked_at"), rs.getString("revoked_by"), rs.getLong("version"),
                rs.getLong("published_version"));
    }

    // Sessions

    public void insertSession(String idHash, String username, String csrfToken, Instant expiresAt)
            throws SQLException {
        Jdbc.update(db, INSERT_SESSION, ps -> {
            ps.setString(1, idHash);
            ps.setString(2, username);
            ps.setString(3, csrfToken);
            ps.setObject(4, at(expiresAt));
        });
    }

    /** The live session's user, role (the user's current one) and CSRF token. */
    public Optional<io.palabre.support.security.Sessions.Live> findSession(String idHash) throws SQLException {
        return Jdbc.one(db, FIND_SESSION, ps -> ps.setString(1, idHash),
                rs -> new io.palabre.support.security.Sessions.Live(rs.getString(1),
                        Role.parse(rs.getString(2)).orElseThrow(), rs.getString(3)));
    }

    public void deleteSession(String idHash) throws SQLException {
        Jdbc.update(db, DELETE_SESSION, ps -> ps.setString(1, idHash));
    }

    public void deleteSessionsOf(String username) throws SQLException {
        Jdbc.update(db, DELETE_SESSIONS_OF, ps -> ps.setString(1, username));
    }

    public void deleteExpiredSessions() throws SQLException {
        Jdbc.update(db, DELETE_EXPIRED_SESSIONS, Jdbc.Binder.NONE);
    }

    // Failed logins

    /** Failed logins since {@code since}: for this user name, for this address, and the oldest of each. */
    public record Failures(long ofUser, long ofAddress, Instant oldestOfUser, Instant oldestOfAddress) {
    }

    public void recordFailure(String username, String address) throws SQLException {
        Jdbc.update(db, INSERT_FAILURE, ps -> {
            ps.setString(1, username);
            ps.setString(2, address);
        });
    }

    public Failures failures(String username, String address, Instant since) throws SQLException {
        return Jdbc.one(db, FAILURES, ps -> {
            ps.setString(1, username);
            ps.setString(2, address);
            ps.setString(3, username);
            ps.setString(4, address);
            ps.setObject(5, at(since));
            ps.setString(6, username);
            ps.setString(7, address);
        }, rs -> new Failures(rs.getLong(1), rs.getLong(2), instantAt(rs, 3), instantAt(rs, 4)))
                .orElse(new Failures(0, 0, null, null));
    }

    private static Instant instantAt(ResultSet rs, int column) throws SQLException {
        java.time.OffsetDateTime t = rs.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public void purgeFailures(Instant before) throws SQLException {
        Jdbc.update(db, PURGE_FAILURES, ps -> ps.setObject(1, at(before)));
    }
}
